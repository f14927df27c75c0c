package io.warden.policy;

import io.warden.policy.internal.ClassPattern;
import io.warden.policy.internal.FileSection;
import io.warden.policy.internal.Glob;
import io.warden.policy.internal.HostPattern;
import io.warden.policy.internal.Inbound;
import io.warden.policy.internal.NetworkRule;
import io.warden.policy.internal.OtherProcessOperation;
import io.warden.policy.internal.ProgramPattern;
import io.warden.policy.internal.Section;
import io.warden.policy.internal.UrlPattern;
import java.util.List;

/** A parsed, valid policy. Immutable. The format is described in docs/policy.md and policy.schema.json. */
public final class Policy {
    /** The only policy format version. */
    public static final int VERSION = 1;

    private final Mode mode;
    /** {@code learn} as written, or null when the policy leaves it out. */
    private final Boolean learn;

    private final Section<NetworkRule> network;
    private final Section<HostPattern> dns;
    private final FileSection files;
    private final Section<ProgramPattern> processes;
    private final Section<Glob> nativeLibraries;
    private final Section<UrlPattern> jndi;
    private final Section<ClassPattern> deserialization;
    /** {@code native.allowShipped}: a library whose bytes are those of one shipped in the function's code may load. */
    private final boolean allowShippedNative;
    /** network.listen and network.accept. */
    private final Inbound inbound;
    /** processes.others. */
    private final List<OtherProcessOperation> otherProcesses;

    Policy(
            Mode mode,
            Boolean learn,
            Section<NetworkRule> network,
            Section<HostPattern> dns,
            FileSection files,
            Section<ProgramPattern> processes,
            Section<Glob> nativeLibraries,
            Section<UrlPattern> jndi,
            Section<ClassPattern> deserialization,
            boolean allowShippedNative,
            Inbound inbound,
            List<OtherProcessOperation> otherProcesses) {
        this.mode = mode;
        this.learn = learn;
        this.network = network;
        this.dns = dns;
        this.files = files;
        this.processes = processes;
        this.nativeLibraries = nativeLibraries;
        this.jndi = jndi;
        this.deserialization = deserialization;
        this.allowShippedNative = allowShippedNative;
        this.inbound = inbound;
        this.otherProcesses = otherProcesses;
    }

    /**
     * @param source where the JSON came from, e.g. {@code WARDEN_POLICY} or a file path; it starts every error message
     * @throws PolicyException for any problem, with the JSON pointer of the offending value
     */
    public static Policy parse(String json, String source) throws PolicyException {
        return PolicyParser.parse(json, source);
    }

    /**
     * Parses a policy from its bytes, which must be well-formed UTF-8: a byte that is not is an error, never replaced,
     * so the agent and the service read the same bytes as the same policy or both refuse them.
     *
     * @throws PolicyException for bytes that are not UTF-8, and as {@link #parse(String, String)}
     */
    public static Policy parse(byte[] utf8, String source) throws PolicyException {
        return PolicyParser.parse(PolicyParser.decodeUtf8(utf8, source), source);
    }

    /** The fail-closed policy: every mode block, no allow entries, so only the built-in baseline is allowed. */
    public static Policy baselineOnly() {
        Mode block = Mode.BLOCK;
        return new Policy(
                block,
                null,
                new Section<>(block, block, List.of(), List.of()),
                new Section<>(block, block, List.of(), List.of()),
                new FileSection(block, block, List.of(), List.of(), List.of()),
                new Section<>(block, block, List.of(), List.of()),
                new Section<>(block, block, List.of(), List.of()),
                new Section<>(block, block, List.of(), List.of()),
                new Section<>(block, block, List.of(), List.of()),
                false,
                Inbound.NONE,
                List.of());
    }

    /** This policy with every mode, including every {@code denyMode}, replaced: what {@code WARDEN_MODE} does. */
    public Policy withModeOverride(Mode override) {
        return new Policy(
                override,
                learn,
                network.withMode(override),
                dns.withMode(override),
                files.withMode(override),
                processes.withMode(override),
                nativeLibraries.withMode(override),
                jndi.withMode(override),
                deserialization.withMode(override),
                allowShippedNative,
                inbound,
                otherProcesses);
    }

    /** The top-level mode. */
    public Mode mode() {
        return mode;
    }

    /**
     * Whether the agent observes what the function does (docs/agent.md#observation): {@code learn} when the policy
     * sets it, else whether the top-level mode is {@code alert}.
     */
    public boolean learns() {
        return learn != null ? learn : mode == Mode.ALERT;
    }

    /** {@code learn} as the policy writes it, or null when it leaves it out. */
    public Boolean learn() {
        return learn;
    }

    /** The effective mode of a category: what happens to an operation no entry allows. */
    public Mode mode(Category category) {
        switch (category) {
            case NETWORK:
                return network.mode();
            case DNS:
                return dns.mode();
            case FILE:
                return files.mode();
            case PROCESS:
                return processes.mode();
            case NATIVE:
                return nativeLibraries.mode();
            case JNDI:
                return jndi.mode();
            default:
                return deserialization.mode();
        }
    }

    /** The effective mode for matches of a category's deny list and of the built-in deny set. */
    public Mode denyMode(Category category) {
        switch (category) {
            case NETWORK:
                return network.denyMode();
            case DNS:
                return dns.denyMode();
            case FILE:
                return files.denyMode();
            case PROCESS:
                return processes.denyMode();
            case NATIVE:
                return nativeLibraries.denyMode();
            case JNDI:
                return jndi.denyMode();
            default:
                return deserialization.denyMode();
        }
    }

    /** Canonical JSON: every section with its effective modes; parses back to an equivalent policy. */
    public String toJson() {
        return PolicyWriter.toJson(this);
    }

    @Override
    public String toString() {
        return toJson();
    }

    Section<NetworkRule> network() {
        return network;
    }

    Section<HostPattern> dns() {
        return dns;
    }

    FileSection files() {
        return files;
    }

    Section<ProgramPattern> processes() {
        return processes;
    }

    Section<Glob> nativeLibraries() {
        return nativeLibraries;
    }

    /**
     * Whether a native library outside every allowed place may load when its bytes are those of a library shipped in
     * the function's own read-only code (its jars and files, the layers, the class path): {@code native.allowShipped}.
     */
    public boolean allowsShippedNative() {
        return allowShippedNative;
    }

    Section<UrlPattern> jndi() {
        return jndi;
    }

    Section<ClassPattern> deserialization() {
        return deserialization;
    }

    Inbound inbound() {
        return inbound;
    }

    List<OtherProcessOperation> otherProcesses() {
        return otherProcesses;
    }
}
