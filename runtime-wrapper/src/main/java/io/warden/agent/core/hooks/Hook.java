package io.warden.agent.core.hooks;

import io.warden.policy.Category;
import java.util.ArrayList;
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
    // Network: TCP connect and UDP connect (Socket, SocketChannel, async channels, HttpClient,
    // DatagramChannel.connect).
    NET_CONNECT(
            Category.NETWORK,
            "sun/nio/ch/Net",
            "connect",
            Failure.THROW,
            Arg.object(2),
            Arg.NONE,
            Arg.integer(3),
            "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)I"),
    // Network: UDP datagrams sent to an address (DatagramSocket is built on DatagramChannel since JDK 15).
    DATAGRAM_SEND(
            Category.NETWORK,
            "sun/nio/ch/DatagramChannelImpl",
            "send",
            Failure.THROW,
            Arg.object(2),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/ByteBuffer;Ljava/net/SocketAddress;)I"),
    // Network, JDK 17 only: jdk.net.usePlainSocketImpl and jdk.net.usePlainDatagramSocketImpl, set before the first
    // socket, select the legacy implementations, whose connect and send pass neither Net.connect nor
    // DatagramChannelImpl.
    // A datagram's address is read while the socket holds the packet's lock, so it cannot change before it is sent.
    LEGACY_CONNECT(
            Category.NETWORK,
            "java/net/AbstractPlainSocketImpl",
            "doConnect",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.integer(2),
            "(Ljava/net/InetAddress;II)V"),
    LEGACY_DATAGRAM_CONNECT(
            Category.NETWORK,
            "java/net/AbstractPlainDatagramSocketImpl",
            "connect",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.integer(2),
            "(Ljava/net/InetAddress;I)V"),
    LEGACY_DATAGRAM_SEND(
            Category.NETWORK,
            "java/net/AbstractPlainDatagramSocketImpl",
            "send",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/net/DatagramPacket;)V"),
    // Network, inbound: a ServerSocket binds the port it will listen on (flags: the impl is a server's); channels.
    NET_LISTEN_SOCKET(
            Category.NETWORK,
            "sun/nio/ch/NioSocketImpl",
            "bind",
            Failure.THROW,
            Arg.object(1),
            Arg.integer(2),
            Arg.field("server", "Z"),
            "(Ljava/net/InetAddress;I)V"),
    NET_LISTEN_CHANNEL(
            Category.NETWORK,
            "sun/nio/ch/ServerSocketChannelImpl",
            "bind",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;"),
    NET_LISTEN_ASYNC(
            Category.NETWORK,
            "sun/nio/ch/AsynchronousServerSocketChannelImpl",
            "bind",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/net/SocketAddress;I)Ljava/nio/channels/AsynchronousServerSocketChannel;"),
    // Network, inbound: an accepted connection, judged by its peer where a failure closes it. ServerSocket.accept
    // hands the accepted impl to the Socket through setConnectedImpl (JDK 21+, which closes it on a SocketException)
    // or postAccept (JDK 17); channels build the accepted channel inside a block that closes the descriptor.
    NET_ACCEPT(
            Category.NETWORK,
            "java/net/Socket",
            "setConnectedImpl",
            Failure.THROW,
            Arg.field(1, "java/net/SocketImpl", "address", "Ljava/net/InetAddress;"),
            Arg.NONE,
            Arg.field(1, "java/net/SocketImpl", "port", "I"),
            "(Ljava/net/SocketImpl;)V"),
    NET_ACCEPT_JDK17(
            Category.NETWORK,
            "java/net/Socket",
            "postAccept",
            Failure.THROW,
            Arg.field(0, "java/net/Socket", "impl", "Ljava/net/SocketImpl;")
                    .then("java/net/SocketImpl", "address", "Ljava/net/InetAddress;"),
            Arg.NONE,
            Arg.field(0, "java/net/Socket", "impl", "Ljava/net/SocketImpl;").then("java/net/SocketImpl", "port", "I"),
            "()V"),
    NET_ACCEPT_CHANNEL(
            Category.NETWORK,
            "sun/nio/ch/SocketChannelImpl",
            "<init>",
            Failure.THROW,
            Arg.object(4),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/channels/spi/SelectorProvider;Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/SocketAddress;)V"),
    NET_ACCEPT_ASYNC(
            Category.NETWORK,
            "sun/nio/ch/UnixAsynchronousSocketChannelImpl",
            "<init>",
            Failure.THROW,
            Arg.object(3),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/ch/Port;Ljava/io/FileDescriptor;Ljava/net/InetSocketAddress;)V"),
    // Unix domain sockets are files: connecting reaches the path, binding creates it.
    UNIX_CONNECT(
            Category.FILE,
            "sun/nio/ch/UnixDomainSockets",
            "connect",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/io/FileDescriptor;Ljava/nio/file/Path;)I"),
    UNIX_BIND(
            Category.FILE,
            "sun/nio/ch/UnixDomainSockets",
            "bind",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/io/FileDescriptor;Ljava/nio/file/Path;)V"),

    // DNS: every forward lookup that reaches the name service. A name the JDK has cached costs nothing here: answering
    // it
    // sends nothing out. Parameters differ per JDK: 17; 21 and 25. getLocalHost() passes here too.
    DNS_LOOKUP(
            Category.DNS,
            "java/net/InetAddress",
            "getAddressesFromNameService",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;Ljava/net/InetAddress;)[Ljava/net/InetAddress;",
            "(Ljava/lang/String;)[Ljava/net/InetAddress;"),
    // DNS: a refused name lands in the JDK's negative cache; its later lookups are refused and reported again there,
    // checked only when the cached entry holds no addresses. The class is CachedAddresses up to JDK 21, then
    // CachedLookup.
    DNS_CACHED_FAILURE(
            Category.DNS,
            "java/net/InetAddress$CachedAddresses",
            "get",
            Failure.THROW,
            Arg.field("host", "Ljava/lang/String;"),
            Arg.NONE,
            Arg.NONE,
            Arg.field("inetAddresses", "[Ljava/net/InetAddress;"),
            "()[Ljava/net/InetAddress;"),
    DNS_CACHED_LOOKUP_FAILURE(
            Category.DNS,
            "java/net/InetAddress$CachedLookup",
            "get",
            Failure.THROW,
            Arg.field("host", "Ljava/lang/String;"),
            Arg.NONE,
            Arg.NONE,
            Arg.field("inetAddresses", "[Ljava/net/InetAddress;"),
            "()[Ljava/net/InetAddress;"),
    // DNS: reverse lookups (getHostName, getCanonicalHostName) by the built-in resolver: a PTR query for any address,
    // judged as a lookup of its in-addr.arpa or ip6.arpa name. Refused, the JDK answers with the address's literal.
    // The class is PlatformNameService on JDK 17, PlatformResolver from JDK 18.
    DNS_REVERSE_NAME_SERVICE(
            Category.DNS,
            "java/net/InetAddress$PlatformNameService",
            "getHostByAddr",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "([B)Ljava/lang/String;"),
    DNS_REVERSE_RESOLVER(
            Category.DNS,
            "java/net/InetAddress$PlatformResolver",
            "lookupByAddress",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "([B)Ljava/lang/String;"),
    // Network: InetAddress.isReachable (every overload) probes with an ICMP echo or, without raw sockets as on Lambda,
    // a TCP connect to port 7: judged as a connect there. Refused, the address is not reachable.
    NET_REACHABLE(
            Category.NETWORK,
            "java/net/InetAddress",
            "isReachable",
            Failure.RETURN_FALSE,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/net/NetworkInterface;II)Z"),
    // DNS answers, as the JDK caches them (hosts file answers included): what a name resolved to in this JVM. A
    // connection counts its address's host name only when that name resolved to that address here.
    DNS_ANSWER(
            Category.DNS,
            "java/net/InetAddress$CachedAddresses",
            "<init>",
            Failure.THROW,
            Arg.object(1),
            Arg.object(2),
            Arg.NONE,
            "(Ljava/lang/String;[Ljava/net/InetAddress;J)V"),
    DNS_ANSWER_LOOKUP(
            Category.DNS,
            "java/net/InetAddress$CachedLookup",
            "<init>",
            Failure.THROW,
            Arg.object(1),
            Arg.object(2),
            Arg.NONE,
            "(Ljava/lang/String;[Ljava/net/InetAddress;J)V"),
    DNS_ANSWER_LOCAL_HOST(
            Category.DNS,
            "java/net/InetAddress$CachedLocalHost",
            "<init>",
            Failure.THROW,
            Arg.object(1),
            Arg.object(2),
            Arg.NONE,
            "(Ljava/lang/String;Ljava/net/InetAddress;)V"),

    // Files through java.io: the JDK keeps these private wrappers around the natives "to allow instrumentation".
    FILE_INPUT_OPEN(
            Category.FILE,
            "java/io/FileInputStream",
            "open",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;)V"),
    FILE_OUTPUT_OPEN(
            Category.FILE,
            "java/io/FileOutputStream",
            "open",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.integer(2),
            "(Ljava/lang/String;Z)V"),
    RANDOM_ACCESS_OPEN(
            Category.FILE,
            "java/io/RandomAccessFile",
            "open",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.integer(2),
            "(Ljava/lang/String;I)V"),
    // java.io.File's own operations: below File the JDK's wrappers differ per version, File is the uniform place. The
    // path judged is File's private field, which the JDK's native code reads, never the overridable getPath().
    FILE_DELETE(
            Category.FILE, "java/io/File", "delete", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_MKDIR(Category.FILE, "java/io/File", "mkdir", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_RENAME(
            Category.FILE,
            "java/io/File",
            "renameTo",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            FilePath.FIRST_ARGUMENT,
            Arg.NONE,
            "(Ljava/io/File;)Z"),
    // Every listing form (list, list(filter), listFiles and its filters) goes through this one private method.
    FILE_LIST(
            Category.FILE,
            "java/io/File",
            "normalizedList",
            Failure.RETURN_NULL,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()[Ljava/lang/String;"),
    FILE_CREATE(
            Category.FILE, "java/io/File", "createNewFile", Failure.THROW, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    // File.createTempFile creates its file below createNewFile: {prefix, suffix} and {the caller's directory, or null;
    // TempDirectory.location(), the directory the JDK uses for null}. The JDK draws the name's random digits after
    // this check.
    FILE_CREATE_TEMP(
            Category.FILE,
            "java/io/File",
            "createTempFile",
            Failure.THROW,
            Arg.pair(Arg.object(0), Arg.object(1)),
            Arg.pair(Arg.object(2), Arg.call("java/io/File$TempDirectory", "location", "()Ljava/io/File;")),
            Arg.NONE,
            "(Ljava/lang/String;Ljava/lang/String;Ljava/io/File;)Ljava/io/File;"),
    // Permission and time changes (the one-argument setters call these).
    FILE_SET_LAST_MODIFIED(
            Category.FILE,
            "java/io/File",
            "setLastModified",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "(J)Z"),
    FILE_SET_READ_ONLY(
            Category.FILE,
            "java/io/File",
            "setReadOnly",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()Z"),
    FILE_SET_WRITABLE(
            Category.FILE,
            "java/io/File",
            "setWritable",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "(ZZ)Z"),
    FILE_SET_READABLE(
            Category.FILE,
            "java/io/File",
            "setReadable",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "(ZZ)Z"),
    FILE_SET_EXECUTABLE(
            Category.FILE,
            "java/io/File",
            "setExecutable",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "(ZZ)Z"),
    // Metadata, judged against deny lists only: a denied file looks absent.
    FILE_EXISTS(
            Category.FILE, "java/io/File", "exists", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_IS_DIRECTORY(
            Category.FILE,
            "java/io/File",
            "isDirectory",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()Z"),
    FILE_IS_FILE(
            Category.FILE, "java/io/File", "isFile", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_IS_HIDDEN(
            Category.FILE, "java/io/File", "isHidden", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_CAN_READ(
            Category.FILE, "java/io/File", "canRead", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_CAN_WRITE(
            Category.FILE, "java/io/File", "canWrite", Failure.RETURN_FALSE, FilePath.THIS, Arg.NONE, Arg.NONE, "()Z"),
    FILE_CAN_EXECUTE(
            Category.FILE,
            "java/io/File",
            "canExecute",
            Failure.RETURN_FALSE,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()Z"),
    FILE_LAST_MODIFIED(
            Category.FILE,
            "java/io/File",
            "lastModified",
            Failure.RETURN_ZERO_LONG,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()J"),
    FILE_LENGTH(
            Category.FILE,
            "java/io/File",
            "length",
            Failure.RETURN_ZERO_LONG,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()J"),
    FILE_TOTAL_SPACE(
            Category.FILE,
            "java/io/File",
            "getTotalSpace",
            Failure.RETURN_ZERO_LONG,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()J"),
    FILE_FREE_SPACE(
            Category.FILE,
            "java/io/File",
            "getFreeSpace",
            Failure.RETURN_ZERO_LONG,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()J"),
    FILE_USABLE_SPACE(
            Category.FILE,
            "java/io/File",
            "getUsableSpace",
            Failure.RETURN_ZERO_LONG,
            FilePath.THIS,
            Arg.NONE,
            Arg.NONE,
            "()J"),

    // Files through java.nio (Files.*, FileChannel, AsynchronousFileChannel, directory streams, copy and move). The
    // *at calls name a directory descriptor (boxed) that their relative path is resolved against.
    NIO_OPEN(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "open",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.integer(1),
            "(Lsun/nio/fs/UnixPath;II)I"),
    NIO_OPEN_AT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "openat",
            Failure.THROW,
            Arg.object(1),
            Arg.integer(0),
            Arg.integer(2),
            "(I[BII)I"),
    NIO_UNLINK(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "unlink",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)V"),
    NIO_UNLINK_AT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "unlinkat",
            Failure.THROW,
            Arg.object(1),
            Arg.integer(0),
            Arg.NONE,
            "(I[BI)V"),
    NIO_RMDIR(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "rmdir",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)V"),
    NIO_MKDIR(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "mkdir",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;I)V"),
    NIO_RENAME(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "rename",
            Failure.THROW,
            Arg.object(0),
            Arg.object(1),
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixPath;)V"),
    // renameat(fromfd, from, tofd, to): each name with its own directory descriptor, as {descriptor, name} pairs.
    NIO_RENAME_AT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "renameat",
            Failure.THROW,
            Arg.pair(Arg.integer(0), Arg.object(1)),
            Arg.pair(Arg.integer(2), Arg.object(3)),
            Arg.NONE,
            "(I[BI[B)V"),
    NIO_LINK(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "link",
            Failure.THROW,
            Arg.object(0),
            Arg.object(1),
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixPath;)V"),
    NIO_SYMLINK(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "symlink",
            Failure.THROW,
            Arg.object(1),
            Arg.object(0),
            Arg.NONE,
            "([BLsun/nio/fs/UnixPath;)V"),
    NIO_OPENDIR(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "opendir",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)J"),
    // Files.newDirectoryStream, Files.list, walk and find open the directory with open() and list it with fdopendir.
    NIO_LIST(
            Category.FILE,
            "sun/nio/fs/UnixFileSystemProvider",
            "newDirectoryStream",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/file/Path;Ljava/nio/file/DirectoryStream$Filter;)Ljava/nio/file/DirectoryStream;"),
    // Files.copy with COPY_ATTRIBUTES, and every Files.move, give the target its source's mode, owner and times below
    // the attribute hooks: the target, and the caller's copy options.
    NIO_COPY(
            Category.FILE,
            "sun/nio/fs/UnixFileSystemProvider",
            "copy",
            Failure.THROW,
            Arg.object(2),
            Arg.object(3),
            Arg.NONE,
            "(Ljava/nio/file/Path;Ljava/nio/file/Path;[Ljava/nio/file/CopyOption;)V"),
    NIO_MOVE(
            Category.FILE,
            "sun/nio/fs/UnixFileSystemProvider",
            "move",
            Failure.THROW,
            Arg.object(2),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/file/Path;Ljava/nio/file/Path;[Ljava/nio/file/CopyOption;)V"),
    // Permission, owner and time changes: Files.setPosixFilePermissions, setOwner, setLastModifiedTime, setAttribute.
    NIO_SET_TIMES(
            Category.FILE,
            "sun/nio/fs/UnixFileAttributeViews$Basic",
            "setTimes",
            Failure.THROW,
            Arg.field("file", "Lsun/nio/fs/UnixPath;"),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/file/attribute/FileTime;Ljava/nio/file/attribute/FileTime;Ljava/nio/file/attribute/FileTime;)V"),
    NIO_SET_MODE(
            Category.FILE,
            "sun/nio/fs/UnixFileAttributeViews$Posix",
            "setMode",
            Failure.THROW,
            Arg.field("file", "Lsun/nio/fs/UnixPath;"),
            Arg.NONE,
            Arg.NONE,
            "(I)V"),
    NIO_SET_OWNERS(
            Category.FILE,
            "sun/nio/fs/UnixFileAttributeViews$Posix",
            "setOwners",
            Failure.THROW,
            Arg.field("file", "Lsun/nio/fs/UnixPath;"),
            Arg.NONE,
            Arg.NONE,
            "(II)V"),
    // The same changes through a SecureDirectoryStream's attribute views, which open the file relative to the
    // stream's directory and change it through the descriptor ({dfd, file} pairs; file is null for the directory).
    NIO_SDS_SET_TIMES(
            Category.FILE,
            "sun/nio/fs/UnixSecureDirectoryStream$BasicFileAttributeViewImpl",
            "setTimes",
            Failure.THROW,
            SecureView.of("sun/nio/fs/UnixSecureDirectoryStream$BasicFileAttributeViewImpl"),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/nio/file/attribute/FileTime;Ljava/nio/file/attribute/FileTime;Ljava/nio/file/attribute/FileTime;)V"),
    NIO_SDS_SET_PERMISSIONS(
            Category.FILE,
            "sun/nio/fs/UnixSecureDirectoryStream$PosixFileAttributeViewImpl",
            "setPermissions",
            Failure.THROW,
            SecureView.of("sun/nio/fs/UnixSecureDirectoryStream$PosixFileAttributeViewImpl"),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/util/Set;)V"),
    NIO_SDS_SET_OWNERS(
            Category.FILE,
            "sun/nio/fs/UnixSecureDirectoryStream$PosixFileAttributeViewImpl",
            "setOwners",
            Failure.THROW,
            SecureView.of("sun/nio/fs/UnixSecureDirectoryStream$PosixFileAttributeViewImpl"),
            Arg.NONE,
            Arg.NONE,
            "(II)V"),
    // Extended attributes (user-defined and DOS views) are set on a descriptor.
    NIO_SET_XATTR(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "fsetxattr",
            Failure.THROW,
            Arg.integer(0),
            Arg.NONE,
            Arg.NONE,
            "(I[BJI)V"),
    NIO_REMOVE_XATTR(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "fremovexattr",
            Failure.THROW,
            Arg.integer(0),
            Arg.NONE,
            Arg.NONE,
            "(I[B)V"),
    // Metadata through java.nio, against deny lists only. stat(path) returning the mode and exists are JDK 17's;
    // stat2 and access returning errno are JDK 21+'s.
    NIO_STAT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "stat",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixFileAttributes;)V"),
    NIO_STAT_MODE(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "stat",
            Failure.RETURN_FALSE,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)I"),
    NIO_STAT_ERRNO(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "stat2",
            Failure.RETURN_EACCES,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixFileAttributes;)I"),
    NIO_LSTAT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "lstat",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixFileAttributes;)V"),
    NIO_STAT_AT(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "fstatat",
            Failure.THROW,
            Arg.object(1),
            Arg.integer(0),
            Arg.NONE,
            "(I[BILsun/nio/fs/UnixFileAttributes;)V"),
    NIO_ACCESS(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "access",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;I)V"),
    NIO_ACCESS_ERRNO(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "access",
            Failure.RETURN_EACCES,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;I)I"),
    NIO_EXISTS(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "exists",
            Failure.RETURN_FALSE,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)Z"),
    NIO_STATVFS(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "statvfs",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;Lsun/nio/fs/UnixFileStoreAttributes;)V"),
    NIO_READLINK(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "readlink",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)[B"),
    NIO_REALPATH(
            Category.FILE,
            "sun/nio/fs/UnixNativeDispatcher",
            "realpath",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Lsun/nio/fs/UnixPath;)[B"),

    // The JVM's diagnostic commands (DiagnosticCommandMBean, directly or through JMX): JVMTI.agent_load would load an
    // agent in process; others dump the heap or threads, record, or set flags. Judged by the command's name, which the
    // JDK's own wrapper holds; the caller's arguments are never read.
    DIAGNOSTIC_COMMAND(
            Category.NATIVE,
            "com/sun/management/internal/DiagnosticCommandImpl$Wrapper",
            "execute",
            Failure.THROW,
            Arg.field("cmd", "Ljava/lang/String;"),
            Arg.NONE,
            Arg.NONE,
            "([Ljava/lang/String;)Ljava/lang/String;"),
    // Heap dumps (HotSpotDiagnosticMXBean.dumpHeap): the VM opens the file itself; judged as a write of that path.
    HEAP_DUMP(
            Category.FILE,
            "com/sun/management/internal/HotSpotDiagnostic",
            "dumpHeap",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;Z)V"),

    // VM options changed at run time (HotSpotDiagnosticMXBean.setVMOption, directly or through JMX): the heap dump
    // options make the VM write the heap to a file of their naming, judged as a write of that file.
    VM_OPTION_SET(
            Category.FILE,
            "com/sun/management/internal/HotSpotDiagnostic",
            "setVMOption",
            Failure.THROW,
            Arg.object(1),
            Arg.object(2),
            Arg.NONE,
            "(Ljava/lang/String;Ljava/lang/String;)V"),

    // Processes: every ProcessBuilder.start (Runtime.exec and startPipeline use it) passes the command line here as
    // the array the JDK made for itself, with the environment (null: the JVM's own) and the child's directory, so a
    // caller's List cannot show the check one command and the JDK another. ProcessBuilder wraps the IOException
    // ("Cannot run program ...").
    PROCESS_START(
            Category.PROCESS,
            "java/lang/ProcessImpl",
            "start",
            Failure.THROW,
            Arg.object(0),
            Arg.pair(Arg.object(1), Arg.object(2)),
            Arg.NONE,
            "([Ljava/lang/String;Ljava/util/Map;Ljava/lang/String;[Ljava/lang/ProcessBuilder$Redirect;Z)Ljava/lang/Process;"),
    // Other processes: signals (ProcessHandle.destroy, destroyForcibly, Process.destroy) and their command lines.
    PROCESS_SIGNAL(
            Category.PROCESS,
            "java/lang/ProcessHandleImpl",
            "destroyProcess",
            Failure.RETURN_FALSE,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Z)Z"),
    PROCESS_INSPECT(
            Category.PROCESS,
            "java/lang/ProcessHandleImpl",
            "info",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "()Ljava/lang/ProcessHandle$Info;"),

    // Native code: System.load and System.loadLibrary, and the JDK's own libraries, with the path the JDK has
    // resolved (links included) and will open. The enforcer may hand back the path of a copy it checked instead.
    NATIVE_LOAD(
            Category.NATIVE,
            "jdk/internal/loader/NativeLibraries",
            "loadLibrary",
            Failure.SUBSTITUTE,
            Arg.replaced(2, "java/lang/String"),
            Arg.object(1),
            Arg.integer(3),
            "(Ljava/lang/Class;Ljava/lang/String;Z)Ljdk/internal/loader/NativeLibrary;"),

    // Native code through the foreign function API (JDK 22 and later): a downcall handle calls any native function
    // (libc's connect, open, system) below every other hook, so making one is a native operation; and
    // SymbolLookup.libraryLookup opens a library by path below the System.load hooks.
    FOREIGN_DOWNCALL(
            Category.NATIVE,
            "jdk/internal/foreign/abi/AbstractLinker",
            "downcallHandle0",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/foreign/FunctionDescriptor;[Ljava/lang/foreign/Linker$Option;)Ljava/lang/invoke/MethodHandle;"),
    FOREIGN_LIBRARY(
            Category.NATIVE,
            "jdk/internal/loader/RawNativeLibraries",
            "load",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;)Ljdk/internal/loader/NativeLibrary;"),

    // JNDI: lookups by URL (the Log4Shell path), initial contexts built from a provider URL, and every URL context the
    // JDK makes, by the scheme it picked.
    JNDI_LOOKUP_NAME(
            Category.JNDI,
            "javax/naming/InitialContext",
            "getURLOrDefaultInitCtx",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;)Ljavax/naming/Context;"),
    JNDI_LOOKUP_COMPOSITE(
            Category.JNDI,
            "javax/naming/InitialContext",
            "getURLOrDefaultInitCtx",
            Failure.THROW,
            Arg.object(1),
            Arg.NONE,
            Arg.NONE,
            "(Ljavax/naming/Name;)Ljavax/naming/Context;"),
    JNDI_INITIAL_CONTEXT(
            Category.JNDI,
            "javax/naming/spi/NamingManager",
            "getInitialContext",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/util/Hashtable;)Ljavax/naming/Context;"),
    JNDI_URL_CONTEXT(
            Category.JNDI,
            "javax/naming/spi/NamingManager",
            "getURLContext",
            Failure.THROW,
            Arg.object(0),
            Arg.NONE,
            Arg.NONE,
            "(Ljava/lang/String;Ljava/util/Hashtable;)Ljavax/naming/Context;"),

    // Deserialization: Warden's JVM-wide filter is installed on the first ObjectInputStream, and before the function
    // could set a filter factory of its own (the JDK accepts one, once).
    SERIAL_STREAM(
            Category.DESERIALIZATION,
            "java/io/ObjectInputStream",
            "<init>",
            Failure.THROW,
            Arg.NONE,
            Arg.NONE,
            Arg.NONE,
            "(Ljava/io/InputStream;)V"),
    SERIAL_STREAM_SUBCLASS(
            Category.DESERIALIZATION,
            "java/io/ObjectInputStream",
            "<init>",
            Failure.THROW,
            Arg.NONE,
            Arg.NONE,
            Arg.NONE,
            "()V"),
    SERIAL_FILTER_FACTORY(
            Category.DESERIALIZATION,
            "java/io/ObjectInputFilter$Config",
            "setSerialFilterFactory",
            Failure.THROW,
            Arg.NONE,
            Arg.NONE,
            Arg.NONE,
            "(Ljava/util/function/BinaryOperator;)V"),

    // The function's handler (woven by HandlerTransformer, not by owner class): an invocation starts and ends.
    INVOCATION_START(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),
    INVOCATION_END(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),

    // The AWS SDK for Java v2 and v1 (woven by AwsSdkTransformer when the policy learns): a call ended, or failed;
    // observed, never blocked.
    AWS_CALL(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),
    AWS_CALL_FAILED(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),
    AWS_V1_CALL(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE),
    AWS_V1_CALL_FAILED(null, null, null, Failure.THROW, Arg.NONE, Arg.NONE, Arg.NONE);

    /** How a blocked operation fails: the way its API already reports failure. */
    public enum Failure {
        THROW,
        RETURN_FALSE,
        RETURN_NULL,
        /** A long result of 0: File.length(), lastModified() and the space getters' "unknown". */
        RETURN_ZERO_LONG,
        /** An int result of EACCES: the errno the JDK's stat2 and access return on JDK 21+. */
        RETURN_EACCES,
        /** Throws; otherwise the method goes on with the subject the gate returns ({@link Arg#replaced}). */
        SUBSTITUTE
    }

    /** java.io.File's private path field: of {@code this}, or of the File passed as the first argument. */
    private static final class FilePath {
        static final Arg THIS = Arg.field("path", "Ljava/lang/String;");
        static final Arg FIRST_ARGUMENT = Arg.field(1, "java/io/File", "path", "Ljava/lang/String;");
    }

    /**
     * A SecureDirectoryStream attribute view's target: {its stream's directory descriptor, its file (relative to that
     * directory, or null for the directory itself)}, read from the view's fields.
     */
    private static final class SecureView {
        static Arg of(String view) {
            return Arg.pair(
                    Arg.field(0, view, "this$0", "Lsun/nio/fs/UnixSecureDirectoryStream;")
                            .then("sun/nio/fs/UnixSecureDirectoryStream", "dfd", "I"),
                    Arg.field(
                            0,
                            "sun/nio/fs/UnixSecureDirectoryStream$BasicFileAttributeViewImpl",
                            "file",
                            "Lsun/nio/fs/UnixPath;"));
        }
    }

    /**
     * What is passed to the enforcer: a local variable slot (an object or an int; an int is boxed where an object is
     * passed), a chain of fields read from a slot ({@code this} is slot 0), what a static JDK method without parameters
     * returns, a pair of those in an {@code Object[2]}, or nothing. An int or boolean field is boxed the same way.
     */
    public static final class Arg {
        static final Arg NONE = new Arg(Kind.NONE, -1, null, null, null, null);

        enum Kind {
            NONE,
            OBJECT,
            INT,
            FIELD,
            CALL,
            PAIR
        }

        final Kind kind;
        final int slot;
        /**
         * FIELD: owner (null: the hooked class), name and descriptor of each field read, in order; CALL: owner, name and
         * descriptor of the method.
         */
        final List<String[]> fields;
        /** PAIR: its two elements. */
        final Arg first;

        final Arg second;
        /** OBJECT the gate may replace (a SUBSTITUTE hook's subject): its class, internal name. */
        final String replacedType;

        private Arg(Kind kind, int slot, List<String[]> fields, Arg first, Arg second, String replacedType) {
            this.kind = kind;
            this.slot = slot;
            this.fields = fields;
            this.first = first;
            this.second = second;
            this.replacedType = replacedType;
        }

        static Arg object(int slot) {
            return new Arg(Kind.OBJECT, slot, null, null, null, null);
        }

        /** An object slot the gate may replace: {@code type} is its class (internal name), checked when stored. */
        static Arg replaced(int slot, String type) {
            return new Arg(Kind.OBJECT, slot, null, null, null, type);
        }

        static Arg integer(int slot) {
            return new Arg(Kind.INT, slot, null, null, null, null);
        }

        /** A field of {@code this}, declared by (or inherited into) the hooked class. */
        static Arg field(String name, String descriptor) {
            return field(0, null, name, descriptor);
        }

        /** A field of the object in {@code slot}, declared by {@code owner}. */
        static Arg field(int slot, String owner, String name, String descriptor) {
            return new Arg(
                    Kind.FIELD, slot, List.<String[]>of(new String[] {owner, name, descriptor}), null, null, null);
        }

        /** Then a field of the object the previous field holds. */
        Arg then(String owner, String name, String descriptor) {
            List<String[]> chain = new ArrayList<>(fields);
            chain.add(new String[] {owner, name, descriptor});
            return new Arg(Kind.FIELD, slot, List.copyOf(chain), null, null, null);
        }

        /** The value a static method of the JDK's own, without parameters, returns. */
        static Arg call(String owner, String name, String descriptor) {
            return new Arg(Kind.CALL, -1, List.<String[]>of(new String[] {owner, name, descriptor}), null, null, null);
        }

        static Arg pair(Arg first, Arg second) {
            return new Arg(Kind.PAIR, -1, null, first, second, null);
        }

        /** The descriptor of the value this reads: "I", "Z", "J" or an object type. */
        String valueDescriptor() {
            switch (kind) {
                case INT:
                    return "I";
                case FIELD:
                    return fields.get(fields.size() - 1)[2];
                case CALL:
                    return fields.get(0)[2].substring(fields.get(0)[2].indexOf(')') + 1);
                default:
                    return "Ljava/lang/Object;";
            }
        }
    }

    /** The policy category of the hook's operations: a check that cannot decide fails closed under its mode. */
    public final Category category;

    final String owner;
    final String method;
    final Failure failure;
    final Arg subject;
    final Arg argument;
    final Arg flags;
    /** A field of {@code this}: the gate is called only when it is null. */
    final Arg onlyWhenNull;

    final List<String> descriptors;

    /** @param category null only for the handler's and the AWS SDK's hooks, which are no operation of the policy's */
    Hook(
            Category category,
            String owner,
            String method,
            Failure failure,
            Arg subject,
            Arg argument,
            Arg flags,
            String... descriptors) {
        this(category, owner, method, failure, subject, argument, flags, Arg.NONE, descriptors);
    }

    Hook(
            Category category,
            String owner,
            String method,
            Failure failure,
            Arg subject,
            Arg argument,
            Arg flags,
            Arg onlyWhenNull,
            String... descriptors) {
        if (failure == Failure.SUBSTITUTE && (subject.kind != Arg.Kind.OBJECT || subject.replacedType == null)) {
            throw new IllegalArgumentException(name() + ": a substituting hook needs a replaceable subject");
        }
        if (onlyWhenNull.kind != Arg.Kind.NONE
                && (onlyWhenNull.kind != Arg.Kind.FIELD || onlyWhenNull.slot != 0 || failure != Failure.THROW)) {
            // No hook needs the guard with a non-throwing failure, so that combination is neither woven nor tested.
            throw new IllegalArgumentException(name() + ": only a throwing hook can be checked when a field is null");
        }
        if ((category == null) != (owner == null)) {
            throw new IllegalArgumentException(name() + ": a hook of a JDK method needs its category, and only it");
        }
        this.category = category;
        this.owner = owner;
        this.method = method;
        this.failure = failure;
        this.subject = subject;
        this.argument = argument;
        this.flags = flags;
        this.onlyWhenNull = onlyWhenNull;
        this.descriptors = List.of(descriptors);
    }

    /** True when a blocked operation fails by its return value rather than by an exception. */
    public boolean failsByValue() {
        return failure != Failure.THROW;
    }
}
