package io.warden.agent.core.policy;

import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.policy.PolicyException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Finds the policy; the first source found wins: {@code WARDEN_POLICY} (inline JSON), {@code WARDEN_POLICY_FILE} (a
 * path), {@code $LAMBDA_TASK_ROOT/warden-policy.json}, then {@code policy.json} beside the agent jar. A source that is
 * present but unreadable or invalid is an error, never skipped: the agent then enforces the baseline only (fails
 * closed). {@code WARDEN_MODE} overrides every mode.
 */
public final class PolicyLoader {

    static final String INLINE_VARIABLE = "WARDEN_POLICY";
    static final String FILE_VARIABLE = "WARDEN_POLICY_FILE";
    static final String MODE_VARIABLE = "WARDEN_MODE";
    static final String TASK_ROOT_FILE = "warden-policy.json";
    static final String BESIDE_AGENT_FILE = "policy.json";
    /** Larger policy files are refused before they are read; the parser has its own, finer limits. */
    static final long MAX_POLICY_BYTES = 1024 * 1024;

    private PolicyLoader() {}

    /** The policy to enforce, where it came from, and the error that made Warden fall back to the baseline, if any. */
    public static final class Loaded {
        public final Policy policy;
        public final String source;
        public final String error;

        Loaded(Policy policy, String source, String error) {
            this.policy = policy;
            this.source = source;
            this.error = error;
        }
    }

    public static Loaded load(Map<String, String> environment, File agentDirectory) {
        return withModeOverride(loadUnmodified(environment, agentDirectory), environment);
    }

    /** A policy the service sent, verified; it replaces the deployed one, and WARDEN_MODE still applies. */
    public static Loaded fromService(Policy policy, String source, Map<String, String> environment) {
        return withModeOverride(new Loaded(policy, source, null), environment);
    }

    /** Whether {@code WARDEN_MODE} turns everything off, whatever the policy says. */
    public static boolean switchedOff(Map<String, String> environment) {
        String override = environment.get(MODE_VARIABLE);
        if (override == null || override.isEmpty()) {
            return false;
        }
        try {
            return Mode.parse(override.trim()) == Mode.OFF;
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    private static Loaded withModeOverride(Loaded loaded, Map<String, String> environment) {
        String override = environment.get(MODE_VARIABLE);
        if (override == null || override.isEmpty()) {
            return loaded;
        }
        try {
            return new Loaded(loaded.policy.withModeOverride(Mode.parse(override.trim())), loaded.source, loaded.error);
        } catch (IllegalArgumentException invalid) {
            String error = MODE_VARIABLE + ": " + invalid.getMessage() + "; expected block, alert or off";
            return new Loaded(Policy.baselineOnly(), loaded.source, loaded.error == null ? error : loaded.error);
        }
    }

    private static Loaded loadUnmodified(Map<String, String> environment, File agentDirectory) {
        String inline = environment.get(INLINE_VARIABLE);
        if (inline != null && !inline.isBlank()) {
            return parse(inline, INLINE_VARIABLE);
        }
        String file = environment.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return read(new File(file), FILE_VARIABLE + "=" + file, true);
        }
        String taskRoot = environment.get("LAMBDA_TASK_ROOT");
        if (taskRoot != null && !taskRoot.isBlank()) {
            Loaded fromTask = read(new File(taskRoot, TASK_ROOT_FILE), null, false);
            if (fromTask != null) {
                return fromTask;
            }
        }
        if (agentDirectory != null) {
            Loaded besideAgent = read(new File(agentDirectory, BESIDE_AGENT_FILE), null, false);
            if (besideAgent != null) {
                return besideAgent;
            }
        }
        return new Loaded(
                Policy.baselineOnly(),
                "none",
                "no policy found (" + INLINE_VARIABLE + ", " + FILE_VARIABLE + ", $LAMBDA_TASK_ROOT/" + TASK_ROOT_FILE
                        + ", " + BESIDE_AGENT_FILE + " beside the agent jar)");
    }

    /** Reads a policy file; a missing optional file is null, a missing required one an error. */
    private static Loaded read(File file, String description, boolean required) {
        String source = description == null ? file.getPath() : description;
        if (!file.exists()) {
            return required ? failed(source, "file not found") : null;
        }
        // java.io rather than NIO: fewer classes to load at the function's start.
        try (FileInputStream in = new FileInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_POLICY_BYTES + 1);
            if (bytes.length > MAX_POLICY_BYTES) {
                return failed(source, "file is larger than " + MAX_POLICY_BYTES + " bytes");
            }
            return new Loaded(Policy.parse(bytes, source), source, null);
        } catch (PolicyException invalid) {
            return new Loaded(Policy.baselineOnly(), source, invalid.getMessage());
        } catch (IOException unreadable) {
            return failed(source, "cannot read: " + unreadable);
        }
    }

    private static Loaded parse(String json, String source) {
        try {
            return new Loaded(Policy.parse(json, source), source, null);
        } catch (PolicyException invalid) {
            return new Loaded(Policy.baselineOnly(), source, invalid.getMessage());
        }
    }

    private static Loaded failed(String source, String problem) {
        return new Loaded(Policy.baselineOnly(), source, source + ": " + problem);
    }
}
