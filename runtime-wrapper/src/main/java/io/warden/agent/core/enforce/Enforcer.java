package io.warden.agent.core.enforce;

import io.warden.agent.core.hooks.GateCaller;
import io.warden.agent.core.hooks.Hook;
import io.warden.agent.core.invocation.Invocation;
import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.observe.AwsCalls;
import io.warden.agent.core.observe.AwsV1Calls;
import io.warden.agent.core.observe.Observer;
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
import io.warden.policy.observe.Observation;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Hashtable;

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
    /** Made on the first library that may be a shipped one: nothing of it is loaded at start-up. */
    private volatile ShippedLibraries shippedLibraries;

    private final KernelPaths paths;
    private final Programs programs;
    private final ResolvedNames resolvedNames = new ResolvedNames();
    private final Invocations invocations;
    private final DeserializationFilter deserializationFilter;
    /** What the function does, when the policy learns; else null. */
    private final Observer observer;
    /** Reads the AWS SDK calls the SDK's woven pipeline hands over; made on the first one, not at start-up. */
    private volatile AwsCalls awsCalls;
    /** The same for the AWS SDK for Java v1, made on its first call. */
    private volatile AwsV1Calls awsV1Calls;
    /**
     * Set while this thread does Warden's own work (reporting a violation, copying a shipped library): what that work
     * does is not checked. Never set while the function's code, or a library's, runs.
     */
    private final ThreadLocal<Boolean> reporting = new ThreadLocal<>();
    /**
     * Set while this thread locates a program as the JDK will: Warden's own metadata reads, which must see the file
     * system as the kernel does, not as the policy lets the function see it.
     */
    private final ThreadLocal<Boolean> locating = new ThreadLocal<>();
    /**
     * Set only while Warden's own report sender connects to the policy service, to the one address it connects to:
     * that connect, and no other operation, is not checked. The connect is a JDK socket channel's, with no handler of
     * the function's in between, so no code of the function's can run while it is set.
     */
    private final ThreadLocal<InetSocketAddress> serviceConnect = new ThreadLocal<>();

    public Enforcer(
            Policy policy,
            PolicyEvaluator evaluator,
            Environment environment,
            ViolationReporter reporter,
            Invocations invocations,
            boolean filtersDeserialization,
            Observer observer,
            String searchPath) {
        this.policy = policy;
        this.observer = observer;
        this.evaluator = evaluator;
        this.invocations = invocations;
        this.environment = environment;
        this.reporter = reporter;
        this.deserializationFilter =
                filtersDeserialization ? new DeserializationFilter(evaluator, this, reporter, observer) : null;
        this.paths = new KernelPaths(environment.userDir());
        this.programs = new Programs(paths, environment.userDir(), searchPath);
    }

    /**
     * Warden's own connection to the policy service: this channel's connect to {@code endpoint} (the address resolved
     * at start-up) is not held against the policy. Everything else on the calling thread is checked as usual.
     */
    public void connectToService(SocketChannel channel, InetSocketAddress endpoint, int timeoutMillis)
            throws IOException {
        serviceConnect.set(endpoint);
        try {
            channel.socket().connect(endpoint, timeoutMillis);
        } finally {
            serviceConnect.remove();
        }
    }

    /** The connect in {@link #connectToService}: to exactly its address and port, on its thread, while it runs. */
    private boolean isServiceConnect(InetAddress address, int port) {
        InetSocketAddress endpoint = serviceConnect.get();
        return endpoint != null
                && endpoint.getPort() == port
                && endpoint.getAddress().equals(address);
    }

    /**
     * Called by the gate for every hooked operation; see {@code WardenGate.check}. The allowed path touches no
     * thread-local: evaluating a policy does no I/O of its own, so it cannot come back here. Reporting a violation can
     * (an event id reads the kernel's entropy), so that is done with a per-thread guard set, and a violation while it
     * is set (Warden's own I/O) goes through unreported.
     */
    public boolean check(int hookIndex, Object subject, Object argument, int flags) throws Throwable {
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
        Category category = hook.category;
        if (category == null) {
            return true; // not an operation of the policy's: an invocation starting or ending, an AWS SDK call
        }
        Mode mode = policy.mode(category);
        if (mode == Mode.OFF) {
            return true;
        }
        Decision decision =
                new Decision(mode == Mode.BLOCK ? Action.BLOCKED : Action.ALERTED, category, UNDECIDABLE_RULE);
        String target = "(unreadable: " + failure.getClass().getName() + ")";
        try {
            return violation(decision, category, operationOf(category), target, kindOf(hook, category));
        } catch (Blocked blocked) {
            throw blocked.toApiException();
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
        if (hook.failsByValue()) {
            return null;
        }
        if (hook == Hook.PROCESS_INSPECT) {
            return Blocked.Kind.SECURITY;
        }
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

    private boolean dispatch(Hook hook, Object subject, Object argument, int flags, PolicyEvaluator policy)
            throws Blocked {
        switch (hook) {
            case NET_CONNECT:
                return isServiceConnect((InetAddress) subject, flags)
                        || connect(policy, "connect", (InetAddress) subject, flags, Blocked.Kind.CONNECT);
            case LEGACY_CONNECT:
            case LEGACY_DATAGRAM_CONNECT:
                return connect(policy, "connect", (InetAddress) subject, flags, Blocked.Kind.CONNECT);
            case LEGACY_DATAGRAM_SEND:
                // DatagramPacket is final; no address: a connected socket's own, checked when it connected.
                InetAddress packetAddress = ((DatagramPacket) subject).getAddress();
                return packetAddress == null
                        || connect(
                                policy,
                                "send",
                                packetAddress,
                                ((DatagramPacket) subject).getPort(),
                                Blocked.Kind.CONNECT);
            case NET_REACHABLE:
                return connect(policy, "probe", (InetAddress) subject, ECHO_PORT, null);
            case DATAGRAM_SEND:
                if (subject instanceof InetSocketAddress && ((InetSocketAddress) subject).getAddress() != null) {
                    InetSocketAddress target = (InetSocketAddress) subject;
                    return connect(policy, "send", target.getAddress(), target.getPort(), Blocked.Kind.CONNECT);
                }
                return true;
            case NET_LISTEN_SOCKET:
                // flags: the impl is a server's; a client socket's own bind is no listening.
                return flags == 0 || listen(policy, (InetAddress) subject, (Integer) argument);
            case NET_LISTEN_CHANNEL:
            case NET_LISTEN_ASYNC:
                if (subject == null) {
                    return listen(policy, null, 0);
                }
                // InetSocketAddress's getters are final; a Unix domain address is judged as a file by UNIX_BIND.
                return !(subject instanceof InetSocketAddress)
                        || ((InetSocketAddress) subject).isUnresolved()
                        || listen(
                                policy,
                                ((InetSocketAddress) subject).getAddress(),
                                ((InetSocketAddress) subject).getPort());
            case NET_ACCEPT:
            case NET_ACCEPT_JDK17:
                return subject == null || accept(policy, (InetAddress) subject, flags);
            case NET_ACCEPT_CHANNEL:
            case NET_ACCEPT_ASYNC:
                return !(subject instanceof InetSocketAddress)
                        || ((InetSocketAddress) subject).getAddress() == null
                        || accept(
                                policy,
                                ((InetSocketAddress) subject).getAddress(),
                                ((InetSocketAddress) subject).getPort());
            case UNIX_CONNECT:
                return !isUnixPath(subject)
                        || file(policy, FileAccess.WRITE, "connect", paths.of(subject), Blocked.Kind.CONNECT);
            case UNIX_BIND:
                return !isUnixPath(subject)
                        || file(policy, FileAccess.WRITE, "bind", paths.of(subject), Blocked.Kind.BIND);
            case DNS_LOOKUP:
            case DNS_CACHED_FAILURE:
            case DNS_CACHED_LOOKUP_FAILURE:
                return dns(policy, "resolve", (String) subject);
            case DNS_REVERSE_NAME_SERVICE:
            case DNS_REVERSE_RESOLVER:
                return dns(policy, "reverse", HostNames.reverseLookupName((byte[]) subject));
            case DNS_ANSWER:
            case DNS_ANSWER_LOOKUP:
                // Only the JDK's own cache entry tells Warden what a name resolved to, not a caller of the public gate.
                if (GateCaller.isHookedMethod(hook)) {
                    resolvedNames.record((String) subject, (InetAddress[]) argument);
                }
                return true;
            case DNS_ANSWER_LOCAL_HOST:
                if (GateCaller.isHookedMethod(hook)) {
                    resolvedNames.record((String) subject, (InetAddress) argument);
                }
                return true;
            case FILE_INPUT_OPEN:
                return file(policy, hook, FileAccess.READ, "read", paths.of(subject));
            case FILE_OUTPUT_OPEN:
                return file(policy, hook, FileAccess.WRITE, flags != 0 ? "append" : "write", paths.of(subject));
            case RANDOM_ACCESS_OPEN:
                boolean readWrite = (flags & RANDOM_ACCESS_READ_WRITE) != 0;
                return file(
                        policy,
                        hook,
                        readWrite ? FileAccess.WRITE : FileAccess.READ,
                        readWrite ? "write" : "read",
                        paths.of(subject));
            case FILE_DELETE:
            case NIO_UNLINK:
            case NIO_RMDIR:
                return file(policy, hook, FileAccess.DELETE, "delete", paths.of(subject));
            case NIO_UNLINK_AT:
                return file(policy, hook, FileAccess.DELETE, "delete", paths.at(argument, subject));
            case FILE_MKDIR:
            case NIO_MKDIR:
                return file(policy, hook, FileAccess.MKDIR, "mkdir", paths.of(subject));
            case FILE_LIST:
            case NIO_OPENDIR:
                return file(policy, hook, FileAccess.LIST, "list", paths.of(subject));
            case NIO_LIST:
                return !isUnixPath(subject) || file(policy, hook, FileAccess.LIST, "list", paths.of(subject));
            case FILE_CREATE:
                return file(policy, hook, FileAccess.WRITE, "create", paths.of(subject));
            case FILE_CREATE_TEMP:
                Object[] names = (Object[]) subject;
                Object[] directories = (Object[]) argument;
                String temporary = TemporaryFiles.created((String) names[0], (String) names[1], (File)
                        (directories[0] != null ? directories[0] : directories[1]));
                return temporary == null || file(policy, hook, FileAccess.WRITE, "create", paths.of(temporary));
            case NIO_COPY:
                return !isUnixPath(subject)
                        || !copiesAttributes((Object[]) argument)
                        || file(policy, hook, FileAccess.ATTRIBUTES, "attributes", paths.of(subject));
            case NIO_MOVE:
                return !isUnixPath(subject)
                        || file(policy, hook, FileAccess.ATTRIBUTES, "attributes", paths.of(subject));
            case FILE_RENAME:
            case NIO_RENAME:
                return file(policy, hook, FileAccess.RENAME, "rename", paths.of(subject))
                        && file(policy, hook, FileAccess.RENAME, "rename", paths.of(argument));
            case NIO_RENAME_AT:
                Object[] from = (Object[]) subject;
                Object[] to = (Object[]) argument;
                return file(policy, hook, FileAccess.RENAME, "rename", paths.at(from[0], from[1]))
                        && file(policy, hook, FileAccess.RENAME, "rename", paths.at(to[0], to[1]));
            case NIO_LINK:
            case NIO_SYMLINK:
                // A link is a second name for its target: creating one needs write access to both names.
                String link = paths.of(subject);
                return file(policy, hook, FileAccess.WRITE, "link", link)
                        && file(policy, hook, FileAccess.WRITE, "link", linkTarget(link, argument));
            case NIO_OPEN:
                boolean writing = (flags & O_WRITING) != 0;
                return file(
                        policy,
                        hook,
                        writing ? FileAccess.WRITE : FileAccess.READ,
                        writing ? "write" : "read",
                        paths.of(subject));
            case NIO_OPEN_AT:
                boolean writingAt = (flags & O_WRITING) != 0;
                return file(
                        policy,
                        hook,
                        writingAt ? FileAccess.WRITE : FileAccess.READ,
                        writingAt ? "write" : "read",
                        paths.at(argument, subject));
            case FILE_SET_LAST_MODIFIED:
            case FILE_SET_READ_ONLY:
            case FILE_SET_WRITABLE:
            case FILE_SET_READABLE:
            case FILE_SET_EXECUTABLE:
            case NIO_SET_TIMES:
            case NIO_SET_MODE:
            case NIO_SET_OWNERS:
                return file(policy, hook, FileAccess.ATTRIBUTES, "attributes", paths.of(subject));
            case NIO_SDS_SET_TIMES:
            case NIO_SDS_SET_PERMISSIONS:
            case NIO_SDS_SET_OWNERS:
                Object[] view = (Object[]) subject;
                String viewed = view[1] == null ? paths.descriptor((Integer) view[0]) : paths.at(view[0], view[1]);
                return file(policy, hook, FileAccess.ATTRIBUTES, "attributes", viewed);
            case NIO_SET_XATTR:
            case NIO_REMOVE_XATTR:
                return file(policy, hook, FileAccess.ATTRIBUTES, "attributes", paths.descriptor((Integer) subject));
            case FILE_EXISTS:
            case FILE_IS_DIRECTORY:
            case FILE_IS_FILE:
            case FILE_IS_HIDDEN:
            case FILE_CAN_READ:
            case FILE_CAN_WRITE:
            case FILE_CAN_EXECUTE:
            case FILE_LAST_MODIFIED:
            case FILE_LENGTH:
            case FILE_TOTAL_SPACE:
            case FILE_FREE_SPACE:
            case FILE_USABLE_SPACE:
            case NIO_STAT:
            case NIO_STAT_MODE:
            case NIO_STAT_ERRNO:
            case NIO_LSTAT:
            case NIO_ACCESS:
            case NIO_ACCESS_ERRNO:
            case NIO_EXISTS:
            case NIO_STATVFS:
            case NIO_READLINK:
            case NIO_REALPATH:
                return locating.get() != null || file(policy, hook, FileAccess.STAT, "stat", paths.of(subject));
            case NIO_STAT_AT:
                return locating.get() != null
                        || file(policy, hook, FileAccess.STAT, "stat", paths.at(argument, subject));
            case PROCESS_START:
                Object[] environmentAndDirectory = (Object[]) argument;
                return process(policy, (String[]) subject, environmentAndDirectory[0] == null, (String)
                        environmentAndDirectory[1]);
            case PROCESS_SIGNAL:
                return otherProcess(policy, (ProcessHandle) subject, OtherProcesses.SIGNAL, null);
            case PROCESS_INSPECT:
                return otherProcess(policy, (ProcessHandle) subject, OtherProcesses.INSPECT, Blocked.Kind.SECURITY);
            case VM_OPTION_SET:
                String heapDump =
                        HeapDumpOptions.fileWritten((String) subject, (String) argument, environment.userDir());
                return heapDump == null || file(policy, hook, FileAccess.WRITE, "heap-dump", paths.of(heapDump));
            case DIAGNOSTIC_COMMAND:
                Decision command = policy.diagnosticCommand((String) subject);
                return !command.violation()
                        || violation(
                                command,
                                command.category(),
                                "diagnostic-command",
                                (String) subject,
                                Blocked.Kind.SECURITY);
            case HEAP_DUMP:
                return file(policy, hook, FileAccess.WRITE, "heap-dump", paths.of(subject));
            case FOREIGN_DOWNCALL:
                // The descriptor is the JDK's own (the function's names stripped only after this check).
                Decision downcall = policy.foreignDowncall();
                return !downcall.violation()
                        || violation(
                                downcall,
                                Category.NATIVE,
                                "downcall",
                                String.valueOf(subject),
                                Blocked.Kind.UNSATISFIED_LINK);
            case FOREIGN_LIBRARY:
                String library = paths.of(subject);
                Decision load = policy.loadNative(library);
                boolean loads = !load.violation()
                        || violation(load, Category.NATIVE, "load", library, Blocked.Kind.UNSATISFIED_LINK);
                if (loads && observing() && !policy.isBaseline(load)) {
                    observer.nativeLibrary(library);
                }
                return loads;
            case JNDI_LOOKUP_NAME:
                return jndi(policy, (String) subject);
            case JNDI_LOOKUP_COMPOSITE:
                // A Name of the JDK's own classes is read here; any other Name could answer the JDK differently than
                // Warden, so it is judged where the JDK makes the URL context for the scheme it read.
                return !JndiValues.isJdkName(subject) || jndi(policy, subject.toString());
            case JNDI_URL_CONTEXT:
                Decision context = policy.jndiUrlContext((String) subject);
                boolean made = !context.violation()
                        || violation(context, Category.JNDI, "lookup", subject + ":", Blocked.Kind.NAMING);
                if (made && observing()) {
                    observer.jndi(subject + ":");
                }
                return made;
            case JNDI_INITIAL_CONTEXT:
                return initialContext(policy, subject);
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
                reporter.invocationEnded(ended);
                if (ended != null) {
                    writeObservation(ended);
                }
                return true;
            case AWS_CALL:
            case AWS_CALL_FAILED:
                observeAwsCall(subject, argument, hook == Hook.AWS_CALL_FAILED);
                return true;
            case AWS_V1_CALL:
            case AWS_V1_CALL_FAILED:
                observeAwsV1Call(subject, argument, hook == Hook.AWS_V1_CALL_FAILED);
                return true;
            default:
                return true;
        }
    }

    /**
     * A connection counts its address's host name only when that name resolved to that address in this JVM; otherwise
     * it is judged by its address alone, and a violation says the name was not resolved.
     *
     * @param kind how a blocked one fails; null: by its return value
     */
    private boolean connect(PolicyEvaluator policy, String operation, InetAddress address, int port, Blocked.Kind kind)
            throws Blocked {
        String hostName = HostNames.of(address);
        if (hostName != null && !resolvedNames.resolved(hostName, address)) {
            Decision decision = policy.connect(null, address, port);
            boolean proceeds = !decision.violation()
                    || violation(
                            decision,
                            Category.NETWORK,
                            operation,
                            HostNames.describe(hostName, address, port) + " name not resolved",
                            kind);
            if (proceeds && observing()) {
                observer.network(operation.equals("probe") ? "connect" : operation, null, address, port);
            }
            return proceeds;
        }
        Decision decision = policy.connect(hostName, address, port);
        boolean proceeds = !decision.violation()
                || violation(decision, Category.NETWORK, operation, HostNames.describe(hostName, address, port), kind);
        if (proceeds && observing()) {
            observer.network(operation.equals("probe") ? "connect" : operation, hostName, address, port);
        }
        return proceeds;
    }

    /** @param local the address bound, or null for any */
    private boolean listen(PolicyEvaluator policy, InetAddress local, int port) throws Blocked {
        Decision decision = policy.listen(port);
        boolean proceeds = !decision.violation()
                || violation(
                        decision,
                        Category.NETWORK,
                        "listen",
                        local == null ? "*:" + port : HostNames.describe(null, local, port),
                        Blocked.Kind.BIND);
        if (proceeds && observing()) {
            observer.network("listen", null, local, port);
        }
        return proceeds;
    }

    private boolean accept(PolicyEvaluator policy, InetAddress peer, int port) throws Blocked {
        Decision decision = policy.accept(peer, port);
        boolean proceeds = !decision.violation()
                || violation(
                        decision,
                        Category.NETWORK,
                        "accept",
                        HostNames.describe(null, peer, port),
                        Blocked.Kind.SOCKET);
        if (proceeds && observing()) {
            observer.network("accept", null, peer, port);
        }
        return proceeds;
    }

    private boolean dns(PolicyEvaluator policy, String operation, String host) throws Blocked {
        Decision decision = policy.resolve(host);
        boolean proceeds =
                !decision.violation() || violation(decision, Category.DNS, operation, host, Blocked.Kind.UNKNOWN_HOST);
        if (proceeds && observing()) {
            observer.dns(host);
        }
        return proceeds;
    }

    private boolean file(PolicyEvaluator policy, Hook hook, FileAccess access, String operation, String path)
            throws Blocked {
        return file(policy, access, operation, path, Blocked.kindForFile(hook));
    }

    private boolean file(PolicyEvaluator policy, FileAccess access, String operation, String path, Blocked.Kind kind)
            throws Blocked {
        ShippedLibraries shipped = shippedLibraries;
        if (shipped != null && access.modifies()) {
            shipped.awaitQuiet();
        }
        Decision decision = policy.file(access, path);
        boolean proceeds = !decision.violation() || violation(decision, Category.FILE, operation, path, kind);
        // Metadata reads are judged against the deny lists only, so a policy needs no entry for them.
        if (proceeds && access != FileAccess.STAT && observing()) {
            observer.file(operation, path);
        }
        return proceeds;
    }

    /**
     * @param command the JDK's own copy of the command, which it runs after this check
     * @param inheritsEnvironment the child gets the JVM's own environment (no environment of the caller's making)
     * @param directory the child's directory as the JDK passes it, or null
     */
    private boolean process(PolicyEvaluator policy, String[] command, boolean inheritsEnvironment, String directory)
            throws Blocked {
        String programPath;
        locating.set(Boolean.TRUE);
        try {
            programPath = command.length == 0 ? null : programs.locate(command[0], directory);
        } finally {
            locating.remove();
        }
        Decision decision = policy.process(Arrays.asList(command), programPath, inheritsEnvironment);
        if (!decision.violation()) {
            observeProcess(programPath, command);
            return true;
        }
        String commandLine = String.join(" ", command);
        // The program that would run, where it differs from what the command names (a relative or bare name).
        String target = programPath == null || programPath.equals(command[0])
                ? commandLine
                : commandLine + " (program " + programPath + ")";
        boolean proceeds = violation(decision, Category.PROCESS, "exec", target, Blocked.Kind.IO);
        if (proceeds) {
            observeProcess(programPath, command);
        }
        return proceeds;
    }

    private void observeProcess(String programPath, String[] command) {
        if (command.length > 0 && observing()) {
            observer.process(programPath != null ? programPath : command[0], command);
        }
    }

    /** Signalling or inspecting a process: free for this JVM itself and the processes it started (and theirs). */
    private boolean otherProcess(PolicyEvaluator policy, ProcessHandle target, String operation, Blocked.Kind kind)
            throws Blocked {
        if (OtherProcesses.isSelfOrDescendant(target)) {
            return true;
        }
        Decision decision = policy.otherProcess(operation);
        return !decision.violation() || violation(decision, Category.PROCESS, operation, "pid " + target.pid(), kind);
    }

    /**
     * A native library, by the path the JDK resolved and will open. A library the policy does not allow may still load
     * as Warden's own copy when its bytes are those of one the function ships ({@code native.allowShipped}).
     *
     * @return the path the JDK is to load
     */
    private Object loadNative(
            PolicyEvaluator policy, String path, Class<?> caller, boolean builtIn, LibraryLoader loader)
            throws Throwable {
        ShippedLibraries shipped = shippedLibraries;
        if (builtIn || (shipped != null && shipped.isCopyInFlight(path))) {
            return path; // a library linked into the JVM itself, or Warden loading its own copy
        }
        String normalized = PathNormalizer.normalize(path, environment.userDir());
        Decision decision = policy.loadNative(normalized);
        if (!decision.violation()) {
            // The baseline's libraries (the JDK's own, loaded by the JDK, also for Warden's self-check) are never
            // observed: no suggested policy needs them.
            if (observing() && !policy.isBaseline(decision)) {
                observer.nativeLibrary(normalized);
            }
            return path;
        }
        if (policy.shippedNative() != null && policy.isUnlistedNative(decision)) {
            String copy = loadShippedCopy(path, caller, loader);
            if (copy != null) {
                if (observing()) {
                    observer.nativeLibrary(normalized);
                }
                return copy;
            }
        }
        if (violation(decision, Category.NATIVE, "load", path, Blocked.Kind.UNSATISFIED_LINK) && observing()) {
            observer.nativeLibrary(normalized);
        }
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
        boolean proceeds =
                !decision.violation() || violation(decision, Category.JNDI, "lookup", name, Blocked.Kind.NAMING);
        if (proceeds && observing()) {
            observer.jndi(name);
        }
        return proceeds;
    }

    /**
     * An initial context's provider URL, read only from the JDK's own Hashtable and Properties: a subclass could answer
     * Warden and the JDK differently, so its environment is judged unreadable.
     */
    private boolean initialContext(PolicyEvaluator policy, Object environment) throws Blocked {
        if (environment == null) {
            return true;
        }
        if (!JndiValues.isJdkTable(environment)) {
            Decision decision = policy.jndiUnreadable();
            return !decision.violation()
                    || violation(
                            decision,
                            Category.JNDI,
                            "lookup",
                            "environment of " + environment.getClass().getName() + " (not read)",
                            Blocked.Kind.NAMING);
        }
        Object providerUrl = ((Hashtable<?, ?>) environment).get(JNDI_PROVIDER_URL);
        // The JDK's factories take the URL as a String; anything else fails there.
        return !(providerUrl instanceof String) || jndi(policy, (String) providerUrl);
    }

    /** Whether what the thread does now is observed: when the policy learns, and this is not Warden's own work. */
    private boolean observing() {
        return observer != null && reporting.get() == null;
    }

    /** The observation line of what was new since the last one, at the end of an invocation. */
    private void writeObservation(Invocation ended) {
        if (observer != null) {
            Observation observation = observer.take(ended.requestId(), ended.functionVersion(), ended.account());
            if (observation != null) {
                write(observation);
            }
        }
    }

    /** Everything not yet written, when the JVM exits: as many lines as it takes. */
    public void writePendingObservation() {
        if (observer != null) {
            for (Observation observation;
                    (observation = observer.take(null, invocations.init().functionVersion(), null)) != null; ) {
                write(observation);
            }
        }
    }

    /**
     * Writes an observation line as Warden's own work, as a violation's report is: what it does (its id's read of the
     * kernel's UUID file among it) is neither a violation nor observed.
     */
    private void write(Observation observation) {
        boolean outer = reporting.get() != null;
        reporting.set(Boolean.TRUE);
        try {
            reporter.observation(observation);
        } finally {
            if (!outer) {
                reporting.remove();
            }
        }
    }

    /**
     * An AWS SDK call, observed only: it never fails the call. The SDK's objects are read by reflection; what cannot be
     * read is said once and the call goes unobserved.
     */
    private void observeAwsCall(Object context, Object attributes, boolean failed) {
        if (observer == null) {
            return;
        }
        AwsCalls calls = awsCalls;
        if (calls == null) {
            calls = new AwsCalls(observer);
            awsCalls = calls;
        }
        try {
            calls.ended(context, attributes, failed);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            reporter.observationFailed("AWS SDK calls", unreadable);
        }
    }

    /** An AWS SDK for Java v1 call, observed only, as {@link #observeAwsCall}. */
    private void observeAwsV1Call(Object executor, Object failure, boolean failed) {
        if (observer == null) {
            return;
        }
        AwsV1Calls calls = awsV1Calls;
        if (calls == null) {
            calls = new AwsV1Calls(observer);
            awsV1Calls = calls;
        }
        try {
            calls.ended(executor, failure, failed);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            reporter.observationFailed("AWS SDK v1 calls", unreadable);
        }
    }

    /** A class the serial filter rejects or lets through as a violation, reported like every other violation. */
    void deserializationViolation(String className, Decision decision) {
        try {
            violation(decision, Category.DESERIALIZATION, "deserialize", className, null);
        } catch (Blocked notThrown) {
            // without a kind a violation returns its outcome; the filter rejects the class by its decision
        }
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
        return "Blocked by Warden: " + category.jsonName() + " " + operation + " " + target + " (rule "
                + decision.rule() + ")";
    }

    /**
     * Whether the caller's copy options ask for the attributes. The JDK reads the caller's array again after this: a
     * thread that adds COPY_ATTRIBUTES in between only keeps the attribute change from being reported as one, since a
     * copied file, directory or link is judged as a write of its target before anything is copied (a special file's
     * node is not: docs/threat-model.md, file-attribute-changes).
     */
    private static boolean copiesAttributes(Object[] options) {
        if (options != null) {
            for (Object option : options) {
                if (option == StandardCopyOption.COPY_ATTRIBUTES) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Only the JDK's own path class reaches the native call; anything else fails in the JDK before it. */
    private static boolean isUnixPath(Object path) {
        return path != null && path.getClass().getName().equals("sun.nio.fs.UnixPath");
    }

    /** A symbolic link's target is relative to the link's directory. */
    private String linkTarget(String link, Object target) {
        if (!(target instanceof byte[])) {
            return paths.of(target);
        }
        int slash = link.lastIndexOf('/');
        return paths.resolve(
                new String((byte[]) target, StandardCharsets.UTF_8), slash <= 0 ? "/" : link.substring(0, slash));
    }

    /** A shipped copy that the JDK failed to load (its own error, or a check inside its JNI_OnLoad): passed on as is. */
    private static final class LibraryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LibraryFailed(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
