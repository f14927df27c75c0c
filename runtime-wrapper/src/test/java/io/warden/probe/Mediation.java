package io.warden.probe;

import java.io.File;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.InvalidNameException;
import javax.naming.spi.NamingManager;

/**
 * The function as an attacker who knows how Warden checks: each operation gives a hook a value that differs from the
 * one the JDK then uses (a caller's object that answers twice, a name that was never resolved, a path through a link),
 * or uses an operation that has no path through the classic hooks. Prints one result line per operation, as
 * {@link Probe} does. Targets come from system properties: {@code probe.root} (the directory tree the test made),
 * {@code probe.deniedPort}, {@code probe.freePort} (a port nothing listens on) and {@code probe.otherPid} (a process
 * this JVM did not start).
 */
public final class Mediation {

    private static final int TIMEOUT_MILLIS = 5000;

    public static void main(String[] operations) {
        Probe.runAll(operations, Mediation::run);
    }

    private static String run(String operation) throws Exception {
        Path root = Path.of(System.getProperty("probe.root"));
        Path allowed = root.resolve("allowed");
        Path denied = root.resolve("denied");
        Path readOnly = root.resolve("readonly");
        int deniedPort = Integer.getInteger("probe.deniedPort", 0);
        int freePort = Integer.getInteger("probe.freePort", 0);
        long otherPid = Long.getLong("probe.otherPid", 0);
        switch (operation) {
            // The command a List answers Warden with is not the one the JDK copies and runs.
            case "process-list-lies": {
                List<String> lying = new TwoFacedList(List.of("./run.sh"), List.of("sh", "-c", "exit 7"));
                return "exit " + new ProcessBuilder(lying).start().waitFor();
            }
            // A relative program runs from the child's directory, not the JVM's.
            case "process-relative-in-directory":
                return "exit "
                        + new ProcessBuilder("./run.sh")
                                .directory(denied.toFile())
                                .start()
                                .waitFor();
            case "process-relative-allowed":
                return "exit " + new ProcessBuilder("./run.sh").start().waitFor();
            // A bare name is found through PATH, as the JDK finds it.
            case "process-bare-name-allowed":
                return "exit " + new ProcessBuilder("run.sh").start().waitFor();

            // java.io.File's natives read its private path; getPath() is the function's to override.
            case "file-subclass-delete": {
                File lying = new PathOverridingFile(denied.resolve("data.txt"), allowed.resolve("data.txt"));
                return "returned " + lying.delete();
            }
            // File.createTempFile creates its file below createNewFile: in the caller's directory, in one whose
            // getPath() names another, and in java.io.tmpdir as the JDK read it (probe.root/readonly), also after the
            // property was changed to name an allowed one.
            case "temp-file-denied":
                return created(File.createTempFile("warden", ".tmp", readOnly.toFile()));
            case "temp-file-directory-lies":
                return created(File.createTempFile("warden", ".tmp", new PathOverridingFile(readOnly, allowed)));
            case "temp-file-default-directory":
                return created(File.createTempFile("warden", null));
            case "temp-file-property-changed": {
                System.setProperty("java.io.tmpdir", allowed.toString());
                return created(File.createTempFile("warden", ".tmp"));
            }
            case "temp-file-allowed":
                return created(File.createTempFile("warden", ".tmp", allowed.toFile()));
            // The copy's mode, owner and times are its source's: an attribute change of the target.
            case "copy-attributes-denied":
                return "copied to "
                        + Files.copy(
                                        allowed.resolve("data.txt"),
                                        readOnly.resolve("copy.txt"),
                                        StandardCopyOption.COPY_ATTRIBUTES)
                                .getFileName();
            case "move-denied": {
                Files.writeString(allowed.resolve("to-move.txt"), "moving");
                return "moved to "
                        + Files.move(allowed.resolve("to-move.txt"), readOnly.resolve("moved.txt"))
                                .getFileName();
            }
            case "copy-attributes-allowed": {
                Path copy = Files.copy(
                        allowed.resolve("data.txt"),
                        allowed.resolve("copy.txt"),
                        StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING);
                Path moved = Files.move(copy, allowed.resolve("sub/moved.txt"), StandardCopyOption.REPLACE_EXISTING);
                return "copied and moved, "
                        + Files.getLastModifiedTime(moved)
                                .equals(Files.getLastModifiedTime(allowed.resolve("data.txt")));
            }
            case "file-list-files-denied":
                return names(denied.toFile().listFiles());
            case "file-list-filter-denied":
                return names(denied.toFile().list((directory, name) -> true));
            case "file-list-file-filter-denied":
                return names(denied.toFile().listFiles(File::isFile));

            // Paths as the kernel walks them: a link followed by "..".
            case "link-dot-dot-io": {
                Path up = upLink(allowed);
                return read(new FileInputStream(up + "/../denied/data.txt"));
            }
            case "link-dot-dot-nio": {
                Path up = upLink(allowed);
                return "read "
                        + Files.readString(Path.of(up + "/../denied/data.txt")).length() + " chars";
            }
            // Another name for the same file: a process's links in /proc to its root, its directory, its descriptors.
            case "proc-root-denied":
                return read(new FileInputStream("/proc/self/root" + denied + "/data.txt"));
            case "proc-thread-root-denied":
                return "read "
                        + Files.readString(Path.of("/proc/thread-self/root" + denied + "/data.txt"))
                                .length() + " chars";
            case "proc-task-root-denied": {
                long pid = ProcessHandle.current().pid();
                return read(new FileInputStream("/proc/" + pid + "/task/" + pid + "/root" + denied + "/data.txt"));
            }
            case "proc-fd-denied":
            case "dev-fd-denied":
                try (DirectoryStream<Path> open = Files.newDirectoryStream(root)) {
                    String descriptors = operation.equals("proc-fd-denied") ? "/proc/self/fd/" : "/dev/fd/";
                    return read(new FileInputStream(descriptors + descriptorOf(root) + "/denied/data.txt"));
                }
            case "proc-root-revision-record":
                Files.writeString(
                        Path.of("/proc/self/root/tmp/.warden-policy-revision-" + System.getProperty("probe.record")),
                        "0");
                return "wrote";
            case "proc-fd-allowed":
                try (FileInputStream open = new FileInputStream(allowed + "/data.txt")) {
                    return read(new FileInputStream("/proc/self/fd/" + descriptorOf(allowed.resolve("data.txt"))));
                }
            case "dot-dot-allowed":
                return read(new FileInputStream(allowed + "/sub/../data.txt"));
            // SecureDirectoryStream: names relative to the open directory.
            case "secure-directory-dot-dot": {
                try (SecureDirectoryStream<Path> directory = secure(allowed);
                        SeekableByteChannel channel = directory.newByteChannel(
                                Path.of("../denied/data.txt"), Set.of(StandardOpenOption.READ))) {
                    return "size " + channel.size();
                }
            }
            case "secure-directory-delete-denied": {
                try (SecureDirectoryStream<Path> directory = secure(allowed)) {
                    directory.deleteFile(Path.of("../denied/data.txt"));
                    return "deleted";
                }
            }
            // A SecureDirectoryStream's attribute views change the file through a descriptor of their own.
            case "secure-directory-set-permissions": {
                try (SecureDirectoryStream<Path> directory = secure(readOnly)) {
                    directory
                            .getFileAttributeView(Path.of("data.txt"), PosixFileAttributeView.class)
                            .setPermissions(PosixFilePermissions.fromString("rwxrwxrwx"));
                    return "set";
                }
            }
            case "secure-directory-set-times": {
                try (SecureDirectoryStream<Path> directory = secure(readOnly)) {
                    directory
                            .getFileAttributeView(Path.of("data.txt"), BasicFileAttributeView.class)
                            .setTimes(FileTime.fromMillis(0), null, null);
                    return "set";
                }
            }
            case "secure-directory-allowed": {
                try (SecureDirectoryStream<Path> directory = secure(allowed)) {
                    Files.writeString(allowed.resolve("before.txt"), "x");
                    directory.move(Path.of("before.txt"), directory, Path.of("after.txt"));
                    try (SeekableByteChannel channel =
                            directory.newByteChannel(Path.of("after.txt"), Set.of(StandardOpenOption.READ))) {
                        return "moved, size " + channel.size();
                    }
                }
            }

            // Permission, owner, time and attribute changes of a file the policy lets the function read only.
            case "file-set-readable":
                return "returned " + readOnly.resolve("data.txt").toFile().setReadable(true, false);
            case "file-set-writable":
                return "returned " + readOnly.resolve("data.txt").toFile().setWritable(true, false);
            case "file-set-executable":
                return "returned " + readOnly.resolve("data.txt").toFile().setExecutable(true, false);
            case "file-set-read-only":
                return "returned " + readOnly.resolve("data.txt").toFile().setReadOnly();
            case "file-set-last-modified":
                return "returned " + readOnly.resolve("data.txt").toFile().setLastModified(0);
            case "files-set-permissions":
                return "set "
                        + Files.setPosixFilePermissions(
                                        readOnly.resolve("data.txt"), PosixFilePermissions.fromString("rwxrwxrwx"))
                                .getFileName();
            case "files-set-times":
                return "set "
                        + Files.setLastModifiedTime(readOnly.resolve("data.txt"), FileTime.fromMillis(0))
                                .getFileName();
            case "files-set-owner": {
                Path file = readOnly.resolve("data.txt");
                return "set " + Files.setOwner(file, Files.getOwner(file)).getFileName();
            }
            case "files-set-attribute":
                return "set "
                        + Files.setAttribute(readOnly.resolve("data.txt"), "unix:mode", 0777)
                                .getFileName();
            case "files-user-attribute": {
                UserDefinedFileAttributeView view =
                        Files.getFileAttributeView(readOnly.resolve("data.txt"), UserDefinedFileAttributeView.class);
                return "wrote " + view.write("user.warden", ByteBuffer.wrap(new byte[] {1}));
            }
            case "attributes-allowed": {
                Path file = allowed.resolve("data.txt");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
                Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
                return "set " + file.toFile().setReadable(true) + " "
                        + Files.getLastModifiedTime(file).toMillis();
            }

            // Metadata of a denied file: it looks absent.
            case "file-exists-denied":
                return "returned " + denied.resolve("data.txt").toFile().exists();
            case "file-length-denied":
                return "returned " + denied.resolve("data.txt").toFile().length();
            case "file-last-modified-denied": {
                long modified = denied.resolve("data.txt").toFile().lastModified();
                return "returned " + (modified == 0 ? "0" : "a time");
            }
            case "files-exists-denied":
                return "returned " + Files.exists(denied.resolve("data.txt"));
            case "files-size-denied":
                return "size " + Files.size(denied.resolve("data.txt"));
            case "files-attributes-denied":
                return "attributes "
                        + Files.readAttributes(denied.resolve("data.txt"), "unix:*")
                                .size();
            case "metadata-allowed":
                return "exists " + allowed.resolve("data.txt").toFile().exists() + " "
                        + Files.exists(Path.of("/etc/hostname")) + " size " + Files.size(allowed.resolve("data.txt"));

            // Unix domain sockets are files.
            case "unix-bind-denied": {
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    server.bind(UnixDomainSocketAddress.of(denied.resolve("socket")));
                    return "bound";
                }
            }
            case "unix-connect-denied": {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(denied.resolve("socket")))) {
                    return "connected " + channel.isConnected();
                }
            }
            case "unix-allowed": {
                UnixDomainSocketAddress address = UnixDomainSocketAddress.of(allowed.resolve("socket"));
                Files.deleteIfExists(allowed.resolve("socket"));
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                                .bind(address);
                        SocketChannel client = SocketChannel.open(address);
                        SocketChannel accepted = server.accept()) {
                    return "connected " + client.isConnected() + " " + accepted.isConnected();
                }
            }

            // Inbound: a server on a port the policy does not list, and connections from peers it does not list.
            case "listen-denied": {
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress(address(127, 0, 0, 3), freePort));
                    return "listening";
                }
            }
            case "listen-channel-denied": {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(address(127, 0, 0, 3), freePort));
                    return "listening";
                }
            }
            case "listen-async-denied": {
                try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(address(127, 0, 0, 3), freePort));
                    return "listening";
                }
            }
            case "accept-async-denied":
                return acceptAsyncFrom(address(127, 0, 0, 4));
            case "accept-denied":
                return acceptFrom(address(127, 0, 0, 4));
            case "accept-channel-denied":
                return acceptChannelFrom(address(127, 0, 0, 4));
            case "accept-allowed":
                return acceptFrom(address(127, 0, 0, 5)) + ", " + acceptChannelFrom(address(127, 0, 0, 5)) + ", "
                        + acceptAsyncFrom(address(127, 0, 0, 5));

            // An InetAddress carries whatever name its maker gave it.
            case "forged-host-name": {
                InetAddress forged = InetAddress.getByAddress("allowed.warden.test", new byte[] {127, 0, 0, 1});
                try (Socket socket = new Socket(forged, deniedPort)) {
                    return "connected " + socket.isConnected();
                }
            }
            // The same, after telling Warden through its public gate that the name resolved to that address, as the
            // JDK's DNS cache entry does when it is made.
            case "forged-host-name-answer": {
                InetAddress forged = InetAddress.getByAddress("allowed.warden.test", new byte[] {127, 0, 0, 1});
                try {
                    Class.forName("java.lang.WardenGate")
                            .getMethod("check", int.class, Object.class, Object.class, int.class)
                            .invoke(
                                    null,
                                    Integer.getInteger("probe.dnsAnswerHook"),
                                    "allowed.warden.test",
                                    new InetAddress[] {forged},
                                    0);
                } catch (ClassNotFoundException withoutWarden) {
                    // nothing to tell
                }
                try (Socket socket = new Socket(forged, deniedPort)) {
                    return "connected " + socket.isConnected();
                }
            }
            case "resolved-host-name-allowed": {
                try (Socket socket = new Socket(InetAddress.getByName("allowed.warden.test"), deniedPort)) {
                    return "connected " + socket.isConnected();
                }
            }

            // Other processes: signals and command lines.
            case "inspect-other":
                return "command "
                        + ProcessHandle.of(otherPid)
                                .orElseThrow()
                                .info()
                                .command()
                                .isPresent();
            case "signal-other":
                return "returned " + ProcessHandle.of(otherPid).orElseThrow().destroy();
            case "processes-own-allowed": {
                Process child = new ProcessBuilder("./run.sh", "wait").start();
                boolean command = child.toHandle().info().command().isPresent();
                boolean self = ProcessHandle.current().info().command().isPresent();
                boolean destroyed = child.toHandle().destroy();
                child.waitFor();
                return "own " + command + " self " + self + " destroyed " + destroyed;
            }

            // JNDI: names and environments read through the caller's own methods.
            case "jndi-name-lies":
                return "found " + new InitialContext().lookup(new TwoFacedName());
            case "jndi-environment-lies": {
                Hashtable<String, String> environment = new TwoFacedTable();
                environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
                environment.put(Context.PROVIDER_URL, "ldap://127.0.0.1:1/");
                return "context "
                        + new InitialContext(environment).getEnvironment().size();
            }
            case "naming-manager-url-context": {
                Context context = NamingManager.getURLContext("ldap", new Hashtable<>());
                return "found " + context.lookup("ldap://127.0.0.1:1/o=warden");
            }
            case "jndi-local-allowed": {
                CompositeName name = new CompositeName("java:comp/env/jdbc/db");
                try {
                    new InitialContext().lookup(name);
                    return "found";
                } catch (javax.naming.NoInitialContextException expected) {
                    return "no initial context";
                }
            }

            // The JDK's own management code reads the container's cgroup files.
            case "platform-mbean-server":
                return "beans " + (ManagementFactory.getPlatformMBeanServer().getMBeanCount() > 0) + " cpus "
                        + (ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors() > 0);

            // After every attack: enforcement still holds.
            case "still-enforced":
                return read(new FileInputStream(denied.resolve("data.txt").toFile()));
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private static InetAddress address(int a, int b, int c, int d) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    private static String acceptFrom(InetAddress peer) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(address(127, 0, 0, 3), 0));
            server.setSoTimeout(TIMEOUT_MILLIS);
            try (Socket client = new Socket()) {
                client.bind(new InetSocketAddress(peer, 0));
                client.connect(server.getLocalSocketAddress(), TIMEOUT_MILLIS);
                try (Socket accepted = server.accept()) {
                    return "accepted " + accepted.getInetAddress().getHostAddress();
                }
            }
        }
    }

    private static String acceptChannelFrom(InetAddress peer) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(address(127, 0, 0, 3), 0));
            try (SocketChannel client = SocketChannel.open()) {
                client.bind(new InetSocketAddress(peer, 0));
                client.connect(server.getLocalAddress());
                try (SocketChannel accepted = server.accept()) {
                    return "accepted channel "
                            + ((InetSocketAddress) accepted.getRemoteAddress())
                                    .getAddress()
                                    .getHostAddress();
                }
            }
        }
    }

    private static String acceptAsyncFrom(InetAddress peer) throws Exception {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(address(127, 0, 0, 3), 0));
            try (SocketChannel client = SocketChannel.open()) {
                client.bind(new InetSocketAddress(peer, 0));
                client.connect(server.getLocalAddress());
                try (AsynchronousSocketChannel accepted = server.accept().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return "accepted async "
                            + ((InetSocketAddress) accepted.getRemoteAddress())
                                    .getAddress()
                                    .getHostAddress();
                }
            }
        }
    }

    /** A link in the allowed directory to that directory itself: "up/.." is then the allowed directory's parent. */
    private static Path upLink(Path allowed) throws Exception {
        Path up = allowed.resolve("up");
        if (!Files.isSymbolicLink(up)) {
            Files.createSymbolicLink(up, allowed);
        }
        return up;
    }

    /** The descriptor this JVM holds open on a file, found as an attacker would: through the links no hook sees. */
    private static int descriptorOf(Path file) throws Exception {
        for (int descriptor = 0; descriptor < 4096; descriptor++) {
            if (new File("/proc/self/fd/" + descriptor).getCanonicalPath().equals(file.toString())) {
                return descriptor;
            }
        }
        throw new IllegalStateException("no descriptor for " + file);
    }

    private static SecureDirectoryStream<Path> secure(Path directory) throws Exception {
        DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
        if (!(stream instanceof SecureDirectoryStream)) {
            stream.close();
            throw new IllegalStateException("no SecureDirectoryStream on this platform");
        }
        return (SecureDirectoryStream<Path>) stream;
    }

    private static String names(Object[] names) {
        return "returned " + (names == null ? "null" : names.length + " names");
    }

    private static String read(java.io.InputStream in) throws Exception {
        try (in) {
            return "read " + in.readAllBytes().length + " bytes";
        }
    }

    /** Answers get/iterator with one command and toArray, which the JDK copies, with another. */
    private static final class TwoFacedList extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        private final List<String> shown;

        TwoFacedList(List<String> shown, List<String> run) {
            super(run);
            this.shown = shown;
        }

        @Override
        public String get(int index) {
            return shown.get(index);
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return shown.iterator();
        }

        @Override
        public String toString() {
            return shown.toString();
        }
    }

    /** A File whose getPath() names one file while its private path, which the JDK's natives read, names another. */
    /** Where a temporary file was made, without its random name. */
    private static String created(File file) {
        return "created in " + file.getParentFile().getName();
    }

    private static final class PathOverridingFile extends File {
        private static final long serialVersionUID = 1L;
        private final String shown;

        PathOverridingFile(Path real, Path shown) {
            super(real.toString());
            this.shown = shown.toString();
        }

        @Override
        public String getPath() {
            return shown;
        }

        @Override
        public String getAbsolutePath() {
            return shown;
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    /** A name that prints as a local java: name and gives the JDK a remote one. */
    private static final class TwoFacedName extends CompositeName {
        private static final long serialVersionUID = 1L;

        TwoFacedName() throws InvalidNameException {
            super("java:comp/env/x");
        }

        @Override
        public String get(int index) {
            return "ldap://127.0.0.1:1/o=warden";
        }

        @Override
        public String toString() {
            return "java:comp/env/x";
        }
    }

    /** An environment whose provider URL looks absent to anyone but the JDK's factory. */
    private static final class TwoFacedTable extends Hashtable<String, String> {
        private static final long serialVersionUID = 1L;
        private int reads;

        @Override
        public synchronized String get(Object key) {
            if (Context.PROVIDER_URL.equals(key) && reads++ == 0) {
                return null;
            }
            return super.get(key);
        }
    }

    private Mediation() {}
}
