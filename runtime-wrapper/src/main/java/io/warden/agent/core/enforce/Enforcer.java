package io.warden.agent.core.enforce;

import io.warden.agent.core.hooks.Hook;
import io.warden.agent.core.invocation.Invocation;
import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.report.ViolationReporter;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Decision;
import io.warden.policy.Environment;
import io.warden.policy.FileAccess;
import io.warden.policy.Mode;
import io.warden.policy.PathNormalizer;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;

/**
 * Receives every hooked operation from the gate, asks the policy evaluator, reports violations and fails blocked
 * operations the way their API does. Warden's own work on a thread (reporting, resolving a path) is never checked again.
 */
public final class Enforcer {

    /** Where JNDI keeps the provider URL in an initial context's environment. */
    private static final String JNDI_PROVIDER_URL = "java.naming.provider.url";
    /** POSIX open(2) flags that make an open a write (Linux values, the same on x86_64 and arm64). */
    private static final int O_WRONLY = 0x1;
    private static final int O_RDWR = 0x2;
    private static final int O_CREAT = 0x40;
    private static final int O_TRUNC = 0x200;
    private static final int O_APPEND = 0x400;
    private static final int O_WRITING = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
    /** RandomAccessFile's own mode bit for "rw". */
    private static final int RANDOM_ACCESS_READ_WRITE = 0x2;
    /** The TCP echo port, where isReachable connects when it cannot send ICMP. */
    private static final int ECHO_PORT = 7;

    private static final Hook[] HOOKS = Hook.values();
    /** The rule of a violation whose target could not be read: docs/policy.md, "Order of evaluation". */
    static final String UNDECIDABLE_RULE = "builtin.deny unreadable";

    private final Policy policy;

    private final PolicyEvaluator evaluator;
    private final Environment environment;
    /** The baseline-only policy, made the first time Warden itself fails (never, as a rule). */
    private volatile PolicyEvaluator fallback;
    private final ViolationReporter reporter;
    private final String workingDirectory;
    /** Made on the first library that may be a shipped one: nothing of it is loaded at start-up. */
    private volatile ShippedLibraries shippedLibraries;
    private final Invocations invocations;
    private final DeserializationFilter deserializationFilter;
    /**
     * Set while this thread does Warden's own work (reporting a violation, copying a shipped library): what that work
     * does is not checked. Never set while the function's code, or a library's, runs.
     */
    private final ThreadLocal<Boolean> reporting = new ThreadLocal<>();
    /** Warden's own thread that talks to the policy service; its connections are not checked. */
    private volatile Thread exemptThread;

    public Enforcer(Policy policy, PolicyEvaluator evaluator, Environment environment, ViolationReporter reporter,
            Invocations invocations, DeserializationFilter deserializationFilter) {
        this.policy = policy;
        this.evaluator = evaluator;
        this.deserializationFilter = deserializationFilter;
        this.invocations = invocations;
        this.environment = environment;
        this.reporter = reporter;
        this.workingDirectory = environment.userDir();
    }

    /** Runs Warden's own work (its thread that talks to the service) with checks off for that thread. */
    public void runExempt(Runnable work) {
        exemptThread = Thread.currentThread();
        work.run();
    }

    /**
     * Called by the gate for every hooked operation; see {@code WardenGate.check}. The allowed path touches no
     * thread-local: evaluating a policy does no I/O of its own, so it cannot come back here. Reporting a violation can
     * (an event id reads the kernel's entropy), so that is done with a per-thread guard set, and a violation while it
     * is set (Warden's own I/O) goes through unreported.
     */
    public boolean check(int hookIndex, Object subject, Object argument, int flags) throws Throwable {
        if (Thread.currentThread() == exemptThread) {
            return true;
        }
        Hook hook = HOOKS[hookIndex];
        try {
            try {
                return dispatch(hook, subject, argument, flags, evaluator);
            } catch (RuntimeException | Error failed) {
                // Warden's own failure, or an object of the caller's that cannot be read: said once; the baseline
                // policy decides instead.
                reporter.checkFailed(hook.name(), failed);
                return dispatch(hook, subject, argument, flags, fallback());
            }
        } catch (Blocked blocked) {
            throw blocked.toApiException();
        } catch (RuntimeException | Error failed) {
            return undecidable(hook, failed);
        }
    }

    /**
     * Neither the policy nor the baseline could decide, so what the operation would act on is unknown: it is a
     * violation under the mode of its category (fail closed in block mode), never let through unseen.
     */
    private boolean undecidable(Hook hook, Throwable failure) throws Throwable {
        Category category = categoryOf(hook);
        if (category == null) {
            return true; // not an operation of the policy's: an invocation starting or ending
        }
        Mode mode = policy.mode(category);
        if (mode == Mode.OFF) {
            return true;
        }
        Decision decision = new Decision(mode == Mode.BLOCK ? Action.BLOCKED : Action.ALERTED, category, UNDECIDABLE_RULE);
        String target = "(unreadable: " + failure.getClass().getName() + ")";
        try {
            return violation(decision, category, operationOf(category), target, kindOf(hook, category));
        } catch (Blocked blocked) {
            throw blocked.toApiException();
        }
    }

    /** The policy category of a hook's operations; null for the handler's, which are no operation of the policy's. */
    static Category categoryOf(Hook hook) {
        switch (hook) {
            case NET_CONNECT:
            case DATAGRAM_SEND:
            case LEGACY_CONNECT:
            case LEGACY_DATAGRAM_CONNECT:
            case LEGACY_DATAGRAM_SEND:
            case NET_REACHABLE:
                return Category.NETWORK;
            case DNS_LOOKUP:
            case DNS_CACHED_FAILURE:
            case DNS_CACHED_LOOKUP_FAILURE:
            case DNS_REVERSE_NAME_SERVICE:
            case DNS_REVERSE_RESOLVER:
                return Category.DNS;
            case FILE_INPUT_OPEN:
            case FILE_OUTPUT_OPEN:
            case RANDOM_ACCESS_OPEN:
            case FILE_DELETE:
            case FILE_MKDIR:
            case FILE_RENAME:
            case FILE_LIST:
            case FILE_CREATE:
            case NIO_OPEN:
            case NIO_OPEN_AT:
            case NIO_UNLINK:
            case NIO_UNLINK_AT:
            case NIO_RMDIR:
            case NIO_MKDIR:
            case NIO_RENAME:
            case NIO_RENAME_AT:
            case NIO_LINK:
            case NIO_SYMLINK:
            case NIO_OPENDIR:
            case HEAP_DUMP:
            case VM_OPTION_SET:
                return Category.FILE;
            case PROCESS_START:
                return Category.PROCESS;
            case NATIVE_LOAD:
            case DIAGNOSTIC_COMMAND:
                return Category.NATIVE;
            case JNDI_LOOKUP_NAME:
            case JNDI_LOOKUP_COMPOSITE:
            case JNDI_INITIAL_CONTEXT:
                return Category.JNDI;
            case SERIAL_STREAM:
            case SERIAL_STREAM_SUBCLASS:
            case SERIAL_FILTER_FACTORY:
                return Category.DESERIALIZATION;
            default:
                return null; // INVOCATION_START, INVOCATION_END; EnforcerTest checks that no other hook lands here
        }
    }

    /** The operation a violation of the category names when what it would act on is unknown. */
    private static String operationOf(Category category) {
        switch (category) {
            case NETWORK:
                return "connect";
            case DNS:
                return "resolve";
            case PROCESS:
                return "exec";
            case NATIVE:
                return "load";
            case JNDI:
                return "lookup";
            case DESERIALIZATION:
                return "deserialize";
            default:
                return "access";
        }
    }

    /** How a blocked operation of this hook fails: as its API reports a refused operation of its kind. */
    private static Blocked.Kind kindOf(Hook hook, Category category) {
        switch (category) {
            case NETWORK:
                return hook == Hook.NET_REACHABLE ? null : Blocked.Kind.CONNECT;
            case DNS:
                return Blocked.Kind.UNKNOWN_HOST;
            case FILE:
                return Blocked.kindForFile(hook);
            case NATIVE:
                return Blocked.Kind.UNSATISFIED_LINK;
            case JNDI:
                return Blocked.Kind.NAMING;
            default:
                return Blocked.Kind.IO;
        }
    }

    /**
     * Called by the gate for hooks that may go on with another subject (native libraries); see
     * {@code WardenGate.substitute}. Returns the subject, or what replaces it, or throws when blocked.
     */
    public Object substitute(int hookIndex, Object subject, Object argument, int flags, LibraryLoader loader)
            throws Throwable {
        if (Thread.currentThread() == exemptThread) {
            return subject;
        }
        Hook hook = HOOKS[hookIndex];
        String library = (String) subject;
        Class<?> caller = (Class<?>) argument;
        try {
            try {
                return loadNative(evaluator, library, caller, flags != 0, loader);
            } catch (LibraryFailed failed) {
                throw failed;
            } catch (RuntimeException | Error failed) {
                reporter.checkFailed(hook.name(), failed);
                return loadNative(fallback(), library, caller, flags != 0, loader);
            }
        } catch (LibraryFailed failed) {
            throw failed.getCause(); // the library's own failure to load, as the JDK reported it
        } catch (Blocked blocked) {
            throw blocked.toApiException();
        } catch (RuntimeException | Error failed) {
            undecidable(hook, failed);
            return subject;
        }
    }

    private ShippedLibraries shippedLibraries() {
        ShippedLibraries shipped = shippedLibraries;
        if (shipped == null) {
            synchronized (this) {
                shipped = shippedLibraries;
                if (shipped == null) {
                    shipped = new ShippedLibraries(environment);
                    shippedLibraries = shipped;
                }
            }
        }
        return shipped;
    }

    private PolicyEvaluator fallback() {
        PolicyEvaluator baseline = fallback;
        if (baseline == null) {
            baseline = new PolicyEvaluator(Policy.baselineOnly(), environment);
            fallback = baseline;
        }
        return baseline;
    }

    private boolean dispatch(Hook hook, Object subject, Object argument, int flags, PolicyEvaluator policy) throws Blocked {
        switch (hook) {
            case NET_CONNECT:
            case LEGACY_CONNECT:
            case LEGACY_DATAGRAM_CONNECT:
                return connect(policy, "connect", (InetAddress) subject, flags, Blocked.Kind.CONNECT);
            case LEGACY_DATAGRAM_SEND:
                // DatagramPacket is final; no address: a connected socket's own, checked when it connected.
                InetAddress packetAddress = ((DatagramPacket) subject).getAddress();
                return packetAddress == null || connect(policy, "send", packetAddress,
                        ((DatagramPacket) subject).getPort(), Blocked.Kind.CONNECT);
            case NET_REACHABLE:
                return connect(policy, "probe", (InetAddress) subject, ECHO_PORT, null);
            case DATAGRAM_SEND:
                if (subject instanceof InetSocketAddress && ((InetSocketAddress) subject).getAddress() != null) {
                    InetSocketAddress target = (InetSocketAddress) subject;
                    return connect(policy, "send", target.getAddress(), target.getPort(), Blocked.Kind.CONNECT);
                }
                return true;
            case DNS_LOOKUP:
            case DNS_CACHED_FAILURE:
            case DNS_CACHED_LOOKUP_FAILURE:
                return dns(policy, "resolve", (String) subject);
            case DNS_REVERSE_NAME_SERVICE:
            case DNS_REVERSE_RESOLVER:
                return dns(policy, "reverse", HostNames.reverseLookupName((byte[]) subject));
            case FILE_INPUT_OPEN:
                return file(policy, hook, FileAccess.READ, "read", ioPath(subject));
            case FILE_OUTPUT_OPEN:
                return file(policy, hook, FileAccess.WRITE, flags != 0 ? "append" : "write", ioPath(subject));
            case RANDOM_ACCESS_OPEN:
                boolean readWrite = (flags & RANDOM_ACCESS_READ_WRITE) != 0;
                return file(policy, hook, readWrite ? FileAccess.WRITE : FileAccess.READ, readWrite ? "write" : "read", ioPath(subject));
            case FILE_DELETE:
            case NIO_UNLINK:
            case NIO_RMDIR:
                return file(policy, hook, FileAccess.DELETE, "delete", ioPath(subject));
            case NIO_UNLINK_AT:
                return file(policy, hook, FileAccess.DELETE, "delete", atPath(argument, subject));
            case FILE_MKDIR:
            case NIO_MKDIR:
                return file(policy, hook, FileAccess.MKDIR, "mkdir", ioPath(subject));
            case FILE_LIST:
            case NIO_OPENDIR:
                return file(policy, hook, FileAccess.LIST, "list", ioPath(subject));
            case FILE_CREATE:
                return file(policy, hook, FileAccess.WRITE, "create", ioPath(subject));
            case FILE_RENAME:
            case NIO_RENAME:
            case NIO_RENAME_AT:
                return file(policy, hook, FileAccess.RENAME, "rename", ioPath(subject))
                        && file(policy, hook, FileAccess.RENAME, "rename", ioPath(argument));
            case NIO_LINK:
            case NIO_SYMLINK:
                // A link is a second name for its target: creating one needs write access to both names.
                String link = ioPath(subject);
                return file(policy, hook, FileAccess.WRITE, "link", link) && file(policy, hook, FileAccess.WRITE, "link", linkTarget(link, argument));
            case NIO_OPEN:
                boolean writing = (flags & O_WRITING) != 0;
                return file(policy, hook, writing ? FileAccess.WRITE : FileAccess.READ, writing ? "write" : "read", ioPath(subject));
            case NIO_OPEN_AT:
                boolean writingAt = (flags & O_WRITING) != 0;
                return file(policy, hook, writingAt ? FileAccess.WRITE : FileAccess.READ, writingAt ? "write" : "read", atPath(argument, subject));
            case VM_OPTION_SET:
                String heapDump = HeapDumpOptions.fileWritten((String) subject, (String) argument, workingDirectory);
                return heapDump == null || file(policy, hook, FileAccess.WRITE, "heap-dump", heapDump);
            case PROCESS_START:
                return process(policy, (String[]) subject, argument == null);
            case DIAGNOSTIC_COMMAND:
                Decision command = policy.diagnosticCommand((String) subject);
                return !command.violation() || violation(command, command.category(), "diagnostic-command",
                        (String) subject, Blocked.Kind.SECURITY);
            case HEAP_DUMP:
                return file(policy, hook, FileAccess.WRITE, "heap-dump", ioPath(subject));
            case JNDI_LOOKUP_NAME:
            case JNDI_LOOKUP_COMPOSITE:
                return jndi(policy, String.valueOf(subject));
            case SERIAL_STREAM:
            case SERIAL_STREAM_SUBCLASS:
            case SERIAL_FILTER_FACTORY:
                if (deserializationFilter != null) {
                    deserializationFilter.ensureInstalled();
                }
                return true;
            case INVOCATION_START:
                Invocation started = invocations.start(subject);
                if (started != null && started.coldStart()) {
                    reporter.initEnded();
                }
                return true;
            case INVOCATION_END:
                Invocation ended = invocations.end();
                if (ended != null) {
                    reporter.invocationEnded(ended);
                }
                return true;
            case JNDI_INITIAL_CONTEXT:
                Object providerUrl = subject instanceof Hashtable ? ((Hashtable<?, ?>) subject).get(JNDI_PROVIDER_URL) : null;
                return providerUrl == null || jndi(policy, providerUrl.toString());
            default:
                return true;
        }
    }

    private boolean connect(PolicyEvaluator policy, String operation, InetAddress address, int port, Blocked.Kind kind)
            throws Blocked {
        String hostName = HostNames.of(address);
        Decision decision = policy.connect(hostName, address, port);
        return !decision.violation() || violation(decision, Category.NETWORK, operation,
                HostNames.describe(hostName, address, port), kind);
    }

    private boolean dns(PolicyEvaluator policy, String operation, String host) throws Blocked {
        Decision decision = policy.resolve(host);
        return !decision.violation() || violation(decision, Category.DNS, operation, host, Blocked.Kind.UNKNOWN_HOST);
    }

    private boolean file(PolicyEvaluator policy, Hook hook, FileAccess access, String operation, String path) throws Blocked {
        ShippedLibraries shipped = shippedLibraries;
        if (shipped != null && access.modifies()) {
            shipped.awaitQuiet();
        }
        Decision decision = policy.file(access, path);
        return !decision.violation() || violation(decision, Category.FILE, operation, path, Blocked.kindForFile(hook));
    }

    /** @param command the JDK's own copy of the command line; @param inheritsEnvironment no environment of its own */
    private boolean process(PolicyEvaluator policy, String[] command, boolean inheritsEnvironment) throws Blocked {
        List<String> commandLine = Arrays.asList(command);
        Decision decision = policy.process(commandLine, inheritsEnvironment);
        return !decision.violation()
                || violation(decision, Category.PROCESS, "exec", String.join(" ", commandLine), Blocked.Kind.IO);
    }

    /**
     * A native library, by the path the JDK resolved and will open. A library the policy does not allow may still load
     * as Warden's own copy when its bytes are those of one the function ships ({@code native.allowShipped}).
     *
     * @return the path the JDK is to load
     */
    private Object loadNative(PolicyEvaluator policy, String path, Class<?> caller, boolean builtIn, LibraryLoader loader)
            throws Throwable {
        ShippedLibraries shipped = shippedLibraries;
        if (builtIn || (shipped != null && shipped.isCopyInFlight(path))) {
            return path; // a library linked into the JVM itself, or Warden loading its own copy
        }
        Decision decision = policy.loadNative(PathNormalizer.normalize(path, workingDirectory));
        if (!decision.violation()) {
            return path;
        }
        if (policy.shippedNative() != null && policy.isUnlistedNative(decision)) {
            String copy = loadShippedCopy(path, caller, loader);
            if (copy != null) {
                return copy;
            }
        }
        violation(decision, Category.NATIVE, "load", path, Blocked.Kind.UNSATISFIED_LINK);
        return path;
    }

    /** Loads Warden's copy of a shipped library on the caller's loader; null when the bytes match nothing shipped. */
    private String loadShippedCopy(String path, Class<?> caller, LibraryLoader loader) throws Throwable {
        ShippedLibraries shippedLibraries = shippedLibraries();
        shippedLibraries.begin();
        try {
            ShippedLibraries.Copy copy;
            reporting.set(Boolean.TRUE); // Warden's own reads and writes; the library's JNI_OnLoad below is checked
            try {
                copy = shippedLibraries.prepare(path, caller);
            } catch (IOException unreadable) {
                reporter.internalError("native copy", new UncheckedIOException(unreadable));
                return null;
            } finally {
                reporting.remove();
            }
            if (copy == null || copy.file == null) {
                return copy == null ? null : copy.name;
            }
            boolean loaded = false;
            try {
                shippedLibraries.load(copy, caller, loader);
                loaded = true;
            } catch (RuntimeException | Error failed) {
                throw new LibraryFailed(failed);
            } finally {
                reporting.set(Boolean.TRUE);
                try {
                    shippedLibraries.finish(copy, loaded);
                } finally {
                    reporting.remove();
                }
            }
            return copy.name;
        } finally {
            shippedLibraries.end();
        }
    }

    private boolean jndi(PolicyEvaluator policy, String name) throws Blocked {
        Decision decision = policy.jndi(name);
        return !decision.violation() || violation(decision, Category.JNDI, "lookup", name, Blocked.Kind.NAMING);
    }

    /**
     * Reports a violation; returns true when the operation may go on (alert mode), false when it must fail by its return
     * value ({@code kind} is null), and otherwise throws.
     */
    private boolean violation(Decision decision, Category category, String operation, String target, Blocked.Kind kind)
            throws Blocked {
        if (reporting.get() != null) {
            return true;
        }
        reporting.set(Boolean.TRUE);
        try {
            reporter.report(category, operation, target, decision);
        } finally {
            reporting.remove();
        }
        if (decision.permitted()) {
            return true;
        }
        if (kind == null) {
            return false;
        }
        throw new Blocked(kind, message(category, operation, target, decision));
    }

    static String message(Category category, String operation, String target, Decision decision) {
        return "Blocked by Warden: " + category.jsonName() + " " + operation + " " + target + " (rule " + decision.rule() + ")";
    }

    /** A path from java.io or a UnixPath, absolute and normalised. */
    private String ioPath(Object path) {
        String text = path instanceof File ? ((File) path).getPath()
                : path instanceof byte[] ? new String((byte[]) path, StandardCharsets.UTF_8)
                : String.valueOf(path);
        return PathNormalizer.normalize(text, workingDirectory);
    }

    /** A path given relative to a directory descriptor, as the *at system calls take it. */
    private String atPath(Object directoryDescriptor, Object path) {
        String name = new String((byte[]) path, StandardCharsets.UTF_8);
        if (name.startsWith("/") || !(directoryDescriptor instanceof Integer)) {
            return PathNormalizer.normalize(name, workingDirectory);
        }
        try {
            Path directory = Files.readSymbolicLink(Path.of("/proc/self/fd/" + directoryDescriptor));
            return PathNormalizer.normalize(name, directory.toString());
        } catch (Exception unknownDirectory) {
            return PathNormalizer.normalize(name, workingDirectory);
        }
    }

    /** A symbolic link's target is relative to the link's directory. */
    private String linkTarget(String link, Object target) {
        String text = target instanceof byte[] ? new String((byte[]) target, StandardCharsets.UTF_8) : ioPath(target);
        int slash = link.lastIndexOf('/');
        return PathNormalizer.normalize(text, slash <= 0 ? "/" : link.substring(0, slash));
    }

    /** A shipped copy that the JDK failed to load (its own error, or a check inside its JNI_OnLoad): passed on as is. */
    private static final class LibraryFailed extends RuntimeException {
        LibraryFailed(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
