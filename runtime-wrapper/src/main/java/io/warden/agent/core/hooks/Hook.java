package io.warden.agent.core.hooks;

import java.util.List;

/**
 * Every JDK method Warden hooks, one declaration each. Each is the lowest Java method above the native call that every
 * public API for the operation passes through, so that no API can go around it. The gate call is inserted at method
 * entry; {@link Arg} says which of the method's local variable slots are passed to the enforcer.
 *
 * <p>{@code OVERLOAD} lists descriptors in order of preference where the JDK versions differ: the first one the class
 * declares is hooked, and only that one, so that one operation is checked once.
 */
public enum Hook {
    // Network: TCP connect and UDP connect (Socket, SocketChannel, async channels, HttpClient, DatagramChannel.connect).
    NET_CONNECT("sun/nio/ch/Net", "connect", Failure.THROW, Arg.object(2), Arg.NONE, Arg.integer(3),
            "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)I"),
    // Network: UDP datagrams sent to an address (DatagramSocket is built on DatagramChannel since JDK 15).
    DATAGRAM_SEND("sun/nio/ch/DatagramChannelImpl", "send", Failure.THROW, Arg.object(2), Arg.NONE, Arg.NONE,
            "(Ljava/nio/ByteBuffer;Ljava/net/SocketAddress;)I"),
    // Network, JDK 17 only: jdk.net.usePlainSocketImpl and jdk.net.usePlainDatagramSocketImpl, set before the first
    // socket, select the legacy implementations, whose connect and send pass neither Net.connect nor DatagramChannelImpl.
    // A datagram's address is read while the socket holds the packet's lock, so it cannot change before it is sent.
    LEGACY_CONNECT("java/net/AbstractPlainSocketImpl", "doConnect", Failure.THROW, Arg.object(1), Arg.NONE,
            Arg.integer(2), "(Ljava/net/InetAddress;II)V"),
    LEGACY_DATAGRAM_CONNECT("java/net/AbstractPlainDatagramSocketImpl", "connect", Failure.THROW, Arg.object(1),
            Arg.NONE, Arg.integer(2), "(Ljava/net/InetAddress;I)V"),
    LEGACY_DATAGRAM_SEND("java/net/AbstractPlainDatagramSocketImpl", "send", Failure.THROW, Arg.object(1), Arg.NONE,
            Arg.NONE, "(Ljava/net/DatagramPacket;)V"),
    // DNS: every forward lookup that reaches the name service. A name the JDK has cached costs nothing here: answering it
    // sends nothing out. Parameters differ per JDK: 17; 21 and 25. getLocalHost() passes here too.
    DNS_LOOKUP("java/net/InetAddress", "getAddressesFromNameService", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Ljava/lang/String;Ljava/net/InetAddress;)[Ljava/net/InetAddress;",
            "(Ljava/lang/String;)[Ljava/net/InetAddress;"),
    // DNS: a refused name lands in the JDK's negative cache; its later lookups are refused and reported again there,
    // checked only when the cached entry holds no addresses. The class is CachedAddresses up to JDK 21, then CachedLookup.
    DNS_CACHED_FAILURE("java/net/InetAddress$CachedAddresses", "get", Failure.THROW,
            Arg.field("host", "Ljava/lang/String;"), Arg.NONE, Arg.NONE,
            Arg.field("inetAddresses", "[Ljava/net/InetAddress;"), "()[Ljava/net/InetAddress;"),
    DNS_CACHED_LOOKUP_FAILURE("java/net/InetAddress$CachedLookup", "get", Failure.THROW,
            Arg.field("host", "Ljava/lang/String;"), Arg.NONE, Arg.NONE,
            Arg.field("inetAddresses", "[Ljava/net/InetAddress;"), "()[Ljava/net/InetAddress;"),
    // DNS: reverse lookups (getHostName, getCanonicalHostName) by the built-in resolver: a PTR query for any address,
    // judged as a lookup of its in-addr.arpa or ip6.arpa name. Refused, the JDK answers with the address's literal.
    // The class is PlatformNameService on JDK 17, PlatformResolver from JDK 18.
    DNS_REVERSE_NAME_SERVICE("java/net/InetAddress$PlatformNameService", "getHostByAddr", Failure.THROW, Arg.object(1),
            Arg.NONE, Arg.NONE, "([B)Ljava/lang/String;"),
    DNS_REVERSE_RESOLVER("java/net/InetAddress$PlatformResolver", "lookupByAddress", Failure.THROW, Arg.object(1),
            Arg.NONE, Arg.NONE, "([B)Ljava/lang/String;"),
    // Network: InetAddress.isReachable (every overload) probes with an ICMP echo or, without raw sockets as on Lambda,
    // a TCP connect to port 7: judged as a connect there. Refused, the address is not reachable.
    NET_REACHABLE("java/net/InetAddress", "isReachable", Failure.RETURN_FALSE, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Ljava/net/NetworkInterface;II)Z"),

    // Files through java.io: the JDK keeps these private wrappers around the natives "to allow instrumentation".
    FILE_INPUT_OPEN("java/io/FileInputStream", "open", Failure.THROW, Arg.object(1), Arg.NONE, Arg.NONE,
            "(Ljava/lang/String;)V"),
    FILE_OUTPUT_OPEN("java/io/FileOutputStream", "open", Failure.THROW, Arg.object(1), Arg.NONE, Arg.integer(2),
            "(Ljava/lang/String;Z)V"),
    RANDOM_ACCESS_OPEN("java/io/RandomAccessFile", "open", Failure.THROW, Arg.object(1), Arg.NONE, Arg.integer(2),
            "(Ljava/lang/String;I)V"),
    // java.io.File's own operations: below File the JDK's wrappers differ per version, File is the uniform place.
    FILE_DELETE("java/io/File", "delete", Failure.RETURN_FALSE, Arg.object(0), Arg.NONE, Arg.NONE, "()Z"),
    FILE_MKDIR("java/io/File", "mkdir", Failure.RETURN_FALSE, Arg.object(0), Arg.NONE, Arg.NONE, "()Z"),
    FILE_RENAME("java/io/File", "renameTo", Failure.RETURN_FALSE, Arg.object(0), Arg.object(1), Arg.NONE,
            "(Ljava/io/File;)Z"),
    FILE_LIST("java/io/File", "list", Failure.RETURN_NULL, Arg.object(0), Arg.NONE, Arg.NONE, "()[Ljava/lang/String;"),
    FILE_CREATE("java/io/File", "createNewFile", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE, "()Z"),

    // Files through java.nio (Files.*, FileChannel, AsynchronousFileChannel, directory streams, copy and move).
    NIO_OPEN("sun/nio/fs/UnixNativeDispatcher", "open", Failure.THROW, Arg.object(0), Arg.NONE, Arg.integer(1),
            "(Lsun/nio/fs/UnixPath;II)I"),
    NIO_OPEN_AT("sun/nio/fs/UnixNativeDispatcher", "openat", Failure.THROW, Arg.object(1), Arg.boxed(0), Arg.integer(2),
            "(I[BII)I"),
    NIO_UNLINK("sun/nio/fs/UnixNativeDispatcher", "unlink", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)V"),
    NIO_UNLINK_AT("sun/nio/fs/UnixNativeDispatcher", "unlinkat", Failure.THROW, Arg.object(1), Arg.boxed(0), Arg.NONE,
            "(I[BI)V"),
    NIO_RMDIR("sun/nio/fs/UnixNativeDispatcher", "rmdir", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)V"),
    NIO_MKDIR("sun/nio/fs/UnixNativeDispatcher", "mkdir", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Lsun/nio/fs/UnixPath;I)V"),
    NIO_RENAME("sun/nio/fs/UnixNativeDispatcher", "rename", Failure.THROW, Arg.object(0), Arg.object(1), Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixPath;)V"),
    NIO_RENAME_AT("sun/nio/fs/UnixNativeDispatcher", "renameat", Failure.THROW, Arg.object(1), Arg.object(3), Arg.NONE,
            "(I[BI[B)V"),
    NIO_LINK("sun/nio/fs/UnixNativeDispatcher", "link", Failure.THROW, Arg.object(0), Arg.object(1), Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixPath;)V"),
    NIO_SYMLINK("sun/nio/fs/UnixNativeDispatcher", "symlink", Failure.THROW, Arg.object(1), Arg.object(0), Arg.NONE,
            "([BLsun/nio/fs/UnixPath;)V"),
    NIO_OPENDIR("sun/nio/fs/UnixNativeDispatcher", "opendir", Failure.THROW, Arg.object(0), Arg.NONE, Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)J"),

    // The JVM's diagnostic commands (DiagnosticCommandMBean, directly or through JMX): JVMTI.agent_load would load an
    // agent in process; others dump the heap or threads, record, or set flags. Judged by the command's name, which the
    // JDK's own wrapper holds; the caller's arguments are never read.
    DIAGNOSTIC_COMMAND("com/sun/management/internal/DiagnosticCommandImpl$Wrapper", "execute", Failure.THROW,
            Arg.field("cmd", "Ljava/lang/String;"), Arg.NONE, Arg.NONE, "([Ljava/lang/String;)Ljava/lang/String;"),
    // Heap dumps (HotSpotDiagnosticMXBean.dumpHeap): the VM opens the file itself; judged as a write of that path.
    HEAP_DUMP("com/sun/management/internal/HotSpotDiagnostic", "dumpHeap", Failure.THROW, Arg.object(1), Arg.NONE,
            Arg.NONE, "(Ljava/lang/String;Z)V"),

    // VM options changed at run time (HotSpotDiagnosticMXBean.setVMOption, directly or through JMX): the heap dump
    // options make the VM write the heap to a file of their naming, judged as a write of that file.
    VM_OPTION_SET("com/sun/management/internal/HotSpotDiagnostic", "setVMOption", Failure.THROW, Arg.object(1),
            Arg.object(2), Arg.NONE, "(Ljava/lang/String;Ljava/lang/String;)V"),

    // Processes: every ProcessBuilder.start (Runtime.exec and startPipeline use it) passes the command line here as
    // the array the JDK made for itself, and the environment (null: the JVM's own), so a caller's List cannot show
    // the check one command and the JDK another. ProcessBuilder wraps the IOException ("Cannot run program ...").
    PROCESS_START("java/lang/ProcessImpl", "start", Failure.THROW, Arg.object(0), Arg.object(1), Arg.NONE,
            "([Ljava/lang/String;Ljava/util/Map;Ljava/lang/String;[Ljava/lang/ProcessBuilder$Redirect;Z)Ljava/lang/Process;"),

    // Native code: System.load and System.loadLibrary, and the JDK's own libraries, with the path the JDK has
    // resolved (links included) and will open. The enforcer may hand back the path of a copy it checked instead.
    NATIVE_LOAD("jdk/internal/loader/NativeLibraries", "loadLibrary", Failure.SUBSTITUTE,
            Arg.replaced(2, "java/lang/String"), Arg.object(1), Arg.integer(3),
            "(Ljava/lang/Class;Ljava/lang/String;Z)Ljdk/internal/loader/NativeLibrary;"),

    // JNDI: lookups by URL (the Log4Shell path) and initial contexts built from a provider URL.
    JNDI_LOOKUP_NAME("javax/naming/InitialContext", "getURLOrDefaultInitCtx", Failure.THROW, Arg.object(1), Arg.NONE,
            Arg.NONE, "(Ljava/lang/String;)Ljavax/naming/Context;"),
    JNDI_LOOKUP_COMPOSITE("javax/naming/InitialContext", "getURLOrDefaultInitCtx", Failure.THROW, Arg.object(1), Arg.NONE,
            Arg.NONE, "(Ljavax/naming/Name;)Ljavax/naming/Context;"),
    JNDI_INITIAL_CONTEXT("javax/naming/spi/NamingManager", "getInitialContext", Failure.THROW, Arg.object(0), Arg.NONE,
            Arg.NONE, "(Ljava/util/Hashtable;)Ljavax/naming/Context;"),

    // Deserialization: Warden's JVM-wide filter is installed on the first ObjectInputStream, and before the function
    // could set a filter factory of its own (the JDK accepts one, once).
    SERIAL_STREAM("java/io/ObjectInputStream", "<init>", Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE,
            "(Ljava/io/InputStream;)V"),
    SERIAL_STREAM_SUBCLASS("java/io/ObjectInputStream", "<init>", Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE, "()V"),
    SERIAL_FILTER_FACTORY("java/io/ObjectInputFilter$Config", "setSerialFilterFactory", Failure.THROW, Arg.NONE, Arg.NONE,
            Arg.NONE, "(Ljava/util/function/BinaryOperator;)V"),

    // The function's handler (woven by HandlerTransformer, not by owner class): an invocation starts and ends.
    INVOCATION_START(null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),
    INVOCATION_END(null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE);

    /** How a blocked operation fails: the way its API already reports failure. */
    public enum Failure {
        THROW,
        RETURN_FALSE,
        RETURN_NULL,
        /** Throws; otherwise the method goes on with the subject the gate returns ({@link Arg#replaced}). */
        SUBSTITUTE
    }

    /**
     * What is passed to the enforcer: a local variable slot (an object, an int, an int boxed into an object), a field
     * of {@code this}, or nothing.
     */
    public static final class Arg {
        static final Arg NONE = new Arg(Kind.NONE, -1, null, null);

        enum Kind { NONE, OBJECT, INT, BOXED_INT, FIELD }

        final Kind kind;
        final int slot;
        final String fieldName;
        final String fieldDescriptor;

        private Arg(Kind kind, int slot, String fieldName, String fieldDescriptor) {
            this.kind = kind;
            this.slot = slot;
            this.fieldName = fieldName;
            this.fieldDescriptor = fieldDescriptor;
        }

        static Arg object(int slot) {
            return new Arg(Kind.OBJECT, slot, null, null);
        }

        /** An object slot the gate may replace: {@code type} is its class (internal name), checked when stored. */
        static Arg replaced(int slot, String type) {
            return new Arg(Kind.OBJECT, slot, null, type);
        }

        static Arg integer(int slot) {
            return new Arg(Kind.INT, slot, null, null);
        }

        static Arg boxed(int slot) {
            return new Arg(Kind.BOXED_INT, slot, null, null);
        }

        static Arg field(String name, String descriptor) {
            return new Arg(Kind.FIELD, -1, name, descriptor);
        }
    }

    final String owner;
    final String method;
    final Failure failure;
    final Arg subject;
    final Arg argument;
    final Arg flags;
    /** A field of {@code this}: the gate is called only when it is null. */
    final Arg onlyWhenNull;
    final List<String> descriptors;

    Hook(String owner, String method, Failure failure, Arg subject, Arg argument, Arg flags, String... descriptors) {
        this(owner, method, failure, subject, argument, flags, Arg.NONE, descriptors);
    }

    Hook(String owner, String method, Failure failure, Arg subject, Arg argument, Arg flags, Arg onlyWhenNull,
            String... descriptors) {
        if (failure == Failure.SUBSTITUTE && (subject.kind != Arg.Kind.OBJECT || subject.fieldDescriptor == null)) {
            throw new IllegalArgumentException(name() + ": a substituting hook needs a replaceable subject");
        }
        if (onlyWhenNull.kind != Arg.Kind.NONE && (onlyWhenNull.kind != Arg.Kind.FIELD || failure != Failure.THROW)) {
            // No hook needs the guard with a non-throwing failure, so that combination is neither woven nor tested.
            throw new IllegalArgumentException(name() + ": only a throwing hook can be checked when a field is null");
        }
        this.owner = owner;
        this.method = method;
        this.failure = failure;
        this.subject = subject;
        this.argument = argument;
        this.flags = flags;
        this.onlyWhenNull = onlyWhenNull;
        this.descriptors = List.of(descriptors);
    }
}
