package io.warden.agent.core.hooks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies every hook expected on this JDK as its class is woven, without loading any class for it: the hooked classes
 * the JVM loaded before the agent when the agent starts (they are retransformed then), every other one when the JVM
 * loads it, before any of its code runs. A class that never loads runs no code, so its hooks cannot be missing in
 * effect; it is counted as pending. An expected hook that did not weave into its class (a JDK update changed the
 * method) is reported at once and once: named in the status line's {@code missing} field, in an error line and an
 * {@code AgentFailed} metric ({@link Report}). The hooks of {@code java.naming} and {@code jdk.management} are not
 * expected in a runtime image built without that module: there is nothing to hook, and nothing the function could call.
 */
public final class HookSelfCheck implements HookTransformer.Listener {

    /** Where the check's findings go: the agent's reporter. */
    public interface Report {
        /**
         * @param missing every expected hook found not woven so far, as {@code NAME (owner.method)}
         * @param newlyMissing those of them not reported before
         */
        void hooksChecked(int expected, int woven, int pending, List<String> missing, List<String> newlyMissing);
    }

    /** What the check found. */
    public static final class Result {
        public final int expected;
        public final int woven;
        /** Expected hooks whose class the JVM has not loaded yet: each is verified when it does. */
        public final int pending;
        /** Expected hooks whose class was woven without them, as {@code NAME (owner.method)}. */
        public final List<String> missing;

        Result(int expected, int woven, int pending, List<String> missing) {
            this.expected = expected;
            this.woven = woven;
            this.pending = pending;
            this.missing = missing;
        }
    }

    private final HookTransformer transformer;
    private final List<Hook> expected;
    private final Report report;
    /** Guarded by this: the missing hooks reported so far, and what has been said. */
    private final Set<String> reported = new HashSet<>();

    private boolean started;
    private boolean startReported;
    private boolean completeReported;

    private HookSelfCheck(HookTransformer transformer, List<Hook> expected, Report report) {
        this.transformer = transformer;
        this.expected = expected;
        this.report = report;
    }

    /**
     * Reports the hooks of the classes woven so far (one status line, always), and from now on those of every hooked
     * class the JVM loads, as it loads it: a line when a hook did not weave, and one when no expected hook is pending
     * any more.
     */
    public static void start(HookTransformer transformer, int feature, Report report) {
        HookSelfCheck check = new HookSelfCheck(transformer, expectedInThisImage(feature), report);
        transformer.listen(check);
        synchronized (check) {
            check.started = true;
        }
        check.classHandled();
    }

    /** Called by the transformer after each hooked class: a hook it did not weave is reported now. */
    @Override
    public void classHandled() {
        Result result;
        List<String> newlyMissing = new ArrayList<>();
        synchronized (this) {
            if (!started) {
                return; // the start-up report covers it
            }
            result = check(transformer, expected);
            for (String hook : result.missing) {
                if (reported.add(hook)) {
                    newlyMissing.add(hook);
                }
            }
            boolean complete = result.pending == 0 && !completeReported;
            if (startReported && !complete && newlyMissing.isEmpty()) {
                return;
            }
            startReported = true;
            completeReported |= complete;
        }
        // Outside the lock: writing the report must never wait on a class another thread is loading.
        report.hooksChecked(result.expected, result.woven, result.pending, result.missing, newlyMissing);
    }

    /** The hooks expected on this JDK, against what the transformer has handled so far. */
    static Result check(HookTransformer transformer, List<Hook> expected) {
        Set<Hook> installed = transformer.installedHooks();
        List<String> missing = new ArrayList<>();
        int woven = 0;
        int pending = 0;
        for (Hook hook : expected) {
            if (installed.contains(hook)) {
                woven++;
            } else if (transformer.handled(hook.owner)) {
                missing.add(hook.name() + " (" + ExpectedHooks.ownerClassName(hook) + "." + hook.method + ")");
            } else {
                pending++;
            }
        }
        return new Result(expected.size(), woven, pending, missing);
    }

    /** The hooks expected on the JDK of this feature release, less those of modules this runtime image leaves out. */
    static List<Hook> expectedInThisImage(int feature) {
        List<Hook> expected = new ArrayList<>();
        for (Hook hook : ExpectedHooks.forJdk(feature)) {
            String module = optionalModule(hook.owner);
            if (module == null || ModuleLayer.boot().findModule(module).isPresent()) {
                expected.add(hook);
            }
        }
        return expected;
    }

    /** The module of a hooked class that a runtime image may leave out; null for java.base. */
    private static String optionalModule(String owner) {
        if (owner.startsWith("javax/naming/")) {
            return "java.naming";
        }
        if (owner.startsWith("com/sun/management/")) {
            return "jdk.management";
        }
        return null;
    }
}
