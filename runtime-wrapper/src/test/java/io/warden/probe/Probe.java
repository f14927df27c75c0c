package io.warden.probe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.net.ssl.SSLContext;
import org.apache.commons.collections.functors.InvokerTransformer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A program run under the agent in a forked JVM: it performs the operations named on its command line, each through a
 * different API, and prints one line per operation: {@code RESULT <name> OK <detail>} or
 * {@code RESULT <name> FAILED <exception class>: <message>}. Targets come from system properties set by the test:
 * {@code probe.allowedPort} and {@code probe.deniedPort} (loopback HTTP servers), {@code probe.udpPort},
 * {@code probe.allowedDir} and {@code probe.deniedDir}.
 */
public final class Probe {

    private static final int TIMEOUT_MILLIS = 3000;

    public static void main(String[] operations) {
        runAll(operations, Probe::run);
    }

    /** One operation of a probe program: its result detail, or an exception. */
    interface Operation {
        String run(String operation) throws Exception;
    }

    /** Runs each operation and prints its result line. */
    static void runAll(String[] operations, Operation probe) {
        for (String operation : operations) {
            String result;
            try {
                result = "OK " + probe.run(operation);
            } catch (Throwable failure) {
                Throwable cause = failure;
                while ((cause instanceof java.util.concurrent.ExecutionException
                                || cause instanceof java.lang.reflect.InvocationTargetException)
                        && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                result = "FAILED " + cause.getClass().getName() + ": "
                        + String.valueOf(cause.getMessage()).replace('\n', ' ');
            }
            System.out.println("RESULT " + operation + " " + result);
        }
        System.out.flush();
    }

    private static String run(String operation) throws Exception {
        int allowed = Integer.getInteger("probe.allowedPort", 0);
        int denied = Integer.getInteger("probe.deniedPort", 0);
        int udp = Integer.getInteger("probe.udpPort", 0);
        Path allowedDir = Path.of(System.getProperty("probe.allowedDir", "/nonexistent"));
        Path deniedDir = Path.of(System.getProperty("probe.deniedDir", "/nonexistent"));
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        if (operation.startsWith("attack-")) {
            return Attacks.run(operation);
        }
        if (operation.startsWith("surface-")) {
            return SurfaceProbes.run(operation);
        }
        if (operation.startsWith("load-class:")) {
            // Loads a JDK class as the function's first use of it would, without initializing it.
            String name = operation.substring("load-class:".length());
            return "loaded "
                    + Class.forName(name, false, ClassLoader.getPlatformClassLoader())
                            .getName();
        }
        switch (operation) {
            // Waits until the test has seen what it waits for (a line on standard input), however long that takes.
            case "await-release":
                return "released "
                        + (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() != null);
            // Network, allowed and denied targets.
            case "socket-allowed":
                return socket(loopback, allowed);
            case "socket-denied":
                return socket(loopback, denied);
            case "socket-connect-denied": {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(loopback, denied), TIMEOUT_MILLIS);
                    return "connected";
                }
            }
            case "socket-channel-denied": {
                try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(loopback, denied))) {
                    return "connected " + channel.isConnected();
                }
            }
            case "socket-channel-nonblocking-denied": {
                try (SocketChannel channel = SocketChannel.open()) {
                    channel.configureBlocking(false);
                    channel.connect(new InetSocketAddress(loopback, denied));
                    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
                    while (!channel.finishConnect() && System.currentTimeMillis() < deadline) {
                        Thread.sleep(5);
                    }
                    return "connected " + channel.isConnected();
                }
            }
            case "async-socket-denied": {
                try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
                    channel.connect(new InetSocketAddress(loopback, denied)).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    return "connected";
                }
            }
            case "url-allowed":
                return httpUrl("http://127.0.0.1:" + allowed + "/");
            case "url-denied":
                return httpUrl("http://127.0.0.1:" + denied + "/");
            case "http-client-allowed":
                return httpClient("http://127.0.0.1:" + allowed + "/");
            case "http-client-denied":
                return httpClient("http://127.0.0.1:" + denied + "/");
            case "http-client-by-name-allowed":
                return httpClient("http://allowed.warden.test:" + allowed + "/");
            case "other-thread-denied":
                return onOtherThread(() -> socket(loopback, denied));
            case "virtual-thread-denied":
                return onVirtualThread(() -> socket(loopback, denied));
            case "reflection-denied": {
                Socket socket = new Socket();
                try {
                    Socket.class
                            .getMethod("connect", java.net.SocketAddress.class, int.class)
                            .invoke(socket, new InetSocketAddress(loopback, denied), TIMEOUT_MILLIS);
                    return "connected";
                } finally {
                    socket.close();
                }
            }
            case "udp-send-denied": {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(loopback, udp)));
                    return "sent";
                }
            }
            case "udp-connect-denied": {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(new InetSocketAddress(loopback, udp));
                    return "connected";
                }
            }
            case "datagram-channel-send-denied": {
                try (DatagramChannel channel = DatagramChannel.open()) {
                    return "sent "
                            + channel.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(loopback, udp));
                }
            }
            case "datagram-channel-connect-denied": {
                try (DatagramChannel channel = DatagramChannel.open()) {
                    channel.connect(new InetSocketAddress(loopback, udp));
                    return "connected";
                }
            }
            // A UDP connect sends no packet, so these never leave the machine even if enforcement failed.
            case "metadata-v4":
                return udpConnect("169.254.169.254");
            case "metadata-v4-mapped":
                return udpConnect("::ffff:169.254.169.254");
            case "metadata-v4-decimal":
                return udpConnect("2852039166");
            case "metadata-v6":
                return udpConnect("fd00:ec2::254");
            case "container-credentials":
                return udpConnect("169.254.170.2");

            // DNS: names come from the test's hosts file (jdk.net.hosts.file), so no query leaves the machine.
            case "dns-allowed":
                return InetAddress.getByName("allowed.warden.test").getHostAddress();
            case "local-host":
                return InetAddress.getLocalHost().getHostAddress();
            case "dns-denied":
                return InetAddress.getByName("exfil.warden.test").getHostAddress();
            case "dns-all-denied":
                return Arrays.toString(InetAddress.getAllByName("exfil.warden.test"));
            case "dns-denied-again": {
                try {
                    InetAddress.getByName("again.warden.test");
                } catch (UnknownHostException refused) {
                    // Refused once: the JDK now answers this name from its negative cache.
                }
                return InetAddress.getByName("again.warden.test").getHostAddress();
            }
            case "dns-socket-address-denied": {
                InetSocketAddress address = new InetSocketAddress("exfil.warden.test", denied);
                return address.isUnresolved() ? "unresolved" : "resolved " + address.getAddress();
            }

            // Files through java.io.
            case "file-input-allowed":
                return read(new FileInputStream(allowedDir.resolve("data.txt").toFile()));
            case "file-input-denied":
                return read(new FileInputStream(deniedDir.resolve("data.txt").toFile()));
            case "file-reader-denied": {
                try (FileReader reader =
                        new FileReader(deniedDir.resolve("data.txt").toFile())) {
                    return "read " + reader.read();
                }
            }
            case "file-output-allowed":
                return write(new FileOutputStream(allowedDir.resolve("out.txt").toFile()));
            case "file-output-denied":
                return write(new FileOutputStream(deniedDir.resolve("out.txt").toFile()));
            case "file-output-append-denied":
                return write(new FileOutputStream(deniedDir.resolve("data.txt").toFile(), true));
            case "file-writer-denied": {
                try (FileWriter writer =
                        new FileWriter(deniedDir.resolve("writer.txt").toFile())) {
                    writer.write("x");
                    return "written";
                }
            }
            case "random-access-read-denied": {
                try (RandomAccessFile file =
                        new RandomAccessFile(deniedDir.resolve("data.txt").toFile(), "r")) {
                    return "read " + file.read();
                }
            }
            case "random-access-write-denied": {
                try (RandomAccessFile file =
                        new RandomAccessFile(deniedDir.resolve("raf.txt").toFile(), "rw")) {
                    file.write(1);
                    return "written";
                }
            }
            case "file-delete-denied":
                return "returned " + deniedDir.resolve("data.txt").toFile().delete();
            case "file-mkdir-denied":
                return "returned " + deniedDir.resolve("newdir").toFile().mkdir();
            case "file-rename-denied":
                return "returned "
                        + deniedDir
                                .resolve("data.txt")
                                .toFile()
                                .renameTo(allowedDir.resolve("moved.txt").toFile());
            case "file-list-denied": {
                String[] names = deniedDir.toFile().list();
                return "returned " + (names == null ? "null" : names.length + " names");
            }
            case "file-create-denied":
                return "returned " + deniedDir.resolve("created.txt").toFile().createNewFile();
            case "dot-dot-denied":
                return read(new FileInputStream(
                        allowedDir.resolve("../denied/data.txt").toString()));
            case "relative-denied":
                return read(new FileInputStream("denied/data.txt"));
            case "proc-environ":
                return Files.readString(Path.of("/proc/self/environ")).length() + " chars";
            case "proc-environ-dot-dot":
                return Files.readString(Path.of("/tmp/../proc/self/environ")).length() + " chars";

            // Files through java.nio.
            case "files-read-allowed":
                return Files.readString(allowedDir.resolve("data.txt"));
            case "files-read-denied":
                return Files.readString(deniedDir.resolve("data.txt"));
            case "files-input-stream-denied":
                return read(Files.newInputStream(deniedDir.resolve("data.txt")));
            case "files-lines-denied": {
                try (java.util.stream.Stream<String> lines = Files.lines(deniedDir.resolve("data.txt"))) {
                    return lines.count() + " lines";
                }
            }
            case "files-write-allowed":
                return "wrote " + Files.write(allowedDir.resolve("nio.txt"), new byte[] {1});
            case "files-write-denied":
                return "wrote " + Files.write(deniedDir.resolve("nio.txt"), new byte[] {1});
            case "files-writer-denied": {
                try (java.io.BufferedWriter writer = Files.newBufferedWriter(deniedDir.resolve("buffered.txt"))) {
                    writer.write("x");
                    return "written";
                }
            }
            case "file-channel-read-denied": {
                try (FileChannel channel = FileChannel.open(deniedDir.resolve("data.txt"), StandardOpenOption.READ)) {
                    return "size " + channel.size();
                }
            }
            case "file-channel-write-denied": {
                try (FileChannel channel = FileChannel.open(
                        deniedDir.resolve("channel.txt"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                    return "wrote " + channel.write(ByteBuffer.wrap(new byte[] {1}));
                }
            }
            case "async-file-channel-denied": {
                try (AsynchronousFileChannel channel =
                        AsynchronousFileChannel.open(deniedDir.resolve("data.txt"), StandardOpenOption.READ)) {
                    return "read " + channel.read(ByteBuffer.allocate(8), 0).get();
                }
            }
            case "files-delete-denied": {
                Files.delete(deniedDir.resolve("data.txt"));
                return "deleted";
            }
            case "files-create-directory-denied":
                return "created " + Files.createDirectory(deniedDir.resolve("nio-dir"));
            case "files-move-denied":
                return "moved " + Files.move(deniedDir.resolve("data.txt"), allowedDir.resolve("moved-nio.txt"));
            case "files-copy-denied":
                return "copied " + Files.copy(allowedDir.resolve("data.txt"), deniedDir.resolve("copy.txt"));
            case "files-list-denied": {
                try (java.util.stream.Stream<Path> entries = Files.list(deniedDir)) {
                    return entries.count() + " entries";
                }
            }
            case "directory-stream-denied": {
                int count = 0;
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(deniedDir)) {
                    for (Path ignored : entries) {
                        count++;
                    }
                }
                return count + " entries";
            }
            case "files-symlink-denied":
                return "linked " + Files.createSymbolicLink(allowedDir.resolve("link"), deniedDir.resolve("data.txt"));

            // Processes.
            case "process-builder":
                return "exit "
                        + new ProcessBuilder("sh", "-c", "exit 7").start().waitFor();
            case "runtime-exec":
                return "exit "
                        + Runtime.getRuntime()
                                .exec(new String[] {"sh", "-c", "exit 7"})
                                .waitFor();

            // Native libraries: the file is no library, so without Warden the load fails in the JDK instead.
            case "native-load": {
                System.load(allowedDir.resolve("libwardenprobe.so").toString());
                return "loaded";
            }
            case "native-load-library": {
                System.loadLibrary("wardenprobe");
                return "loaded";
            }

            // JNDI lookups of remote URLs (nothing listens on port 1).
            case "jndi-ldap":
                return "found " + new InitialContext().lookup("ldap://127.0.0.1:1/o=warden");
            case "jndi-rmi":
                return "found " + new InitialContext().lookup("rmi://127.0.0.1:1/warden");
            case "jndi-provider-url": {
                Hashtable<String, String> environment = new Hashtable<>();
                environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
                environment.put(Context.PROVIDER_URL, "ldap://127.0.0.1:1/");
                return "context "
                        + new InitialContext(environment).getEnvironment().size();
            }

            // Deserialization of a real gadget class (commons-collections 3.2.1).
            case "deserialize-gadget":
                return "read " + roundTrip(new InvokerTransformer("toString", new Class<?>[0], new Object[0]));
            case "deserialize-plain":
                return "read " + roundTrip(new java.util.ArrayList<>(java.util.List.of("a", "b")));

            // What the JDK and libraries do by themselves must keep working.
            case "tls-default-context":
                return SSLContext.getDefault().getProtocol();
            case "jul-logging": {
                Logger.getLogger("probe").info("probe log line");
                return "logged";
            }
            case "class-from-jar":
                return Class.forName("org.apache.commons.collections.map.LRUMap")
                        .getSimpleName();
            case "aws-sdk-apache-allowed": {
                try (DynamoDbClient client = DynamoDbClient.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + allowed))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIDPROBE", "probe-secret")))
                        .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
                        .build()) {
                    return "tables " + client.listTables().tableNames();
                }
            }
            case "aws-sdk-netty-allowed": {
                try (software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient client =
                        software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient.builder()
                                .endpointOverride(URI.create("http://127.0.0.1:" + allowed))
                                .region(Region.US_EAST_1)
                                .credentialsProvider(StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create("AKIDPROBE", "probe-secret")))
                                .httpClient(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.create())
                                .build()) {
                    return "tables "
                            + client.listTables()
                                    .get(60, java.util.concurrent.TimeUnit.SECONDS)
                                    .tableNames();
                }
            }
            // The JVM options that keep agents out, as this JVM runs with them.
            case "agent-loading-flags": {
                com.sun.management.HotSpotDiagnosticMXBean vm =
                        java.lang.management.ManagementFactory.getPlatformMXBean(
                                com.sun.management.HotSpotDiagnosticMXBean.class);
                return "DisableAttachMechanism="
                        + vm.getVMOption("DisableAttachMechanism").getValue() + " EnableDynamicAgentLoading="
                        + vm.getVMOption("EnableDynamicAgentLoading").getValue();
            }
            case "aws-sdk-allowed": {
                try (DynamoDbClient client = DynamoDbClient.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + allowed))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIDPROBE", "probe-secret")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
                    return "tables " + client.listTables().tableNames();
                }
            }
            // Attempts by the function to switch Warden off; each must fail.
            case "tamper":
                return Tampering.attempts();
            // A loop of the same blocked operation: aggregated into few lines with a count.
            case "loop-denied": {
                int blocked = 0;
                for (int i = 0; i < 1000; i++) {
                    try (Socket socket = new Socket(loopback, denied)) {
                        socket.getPort();
                    } catch (java.io.IOException e) {
                        blocked++;
                    }
                }
                return blocked + " of 1000 failed";
            }
            // Many threads at once, allowed and denied operations interleaved.
            case "many-threads":
                return ManyThreads.run(allowedDir, deniedDir, loopback, denied);
            // The program's own copies of libraries the agent also uses.
            case "own-libraries":
                return codeSource(net.bytebuddy.ByteBuddy.class);
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private static String codeSource(Class<?> type) {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getFileName()
                .toString();
    }

    private static String socket(InetAddress address, int port) throws Exception {
        try (Socket socket = new Socket(address, port)) {
            return "connected " + socket.isConnected();
        }
    }

    private static String udpConnect(String literal) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(literal), 80));
            return "connected";
        }
    }

    private static String httpUrl(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        try {
            return "status " + connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static String httpClient(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofMillis(TIMEOUT_MILLIS))
                .build();
        HttpResponse<String> response =
                client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return "status " + response.statusCode();
    }

    private static String onOtherThread(Callable<String> work) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            return executor.submit(work).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Virtual threads exist from JDK 21; the probe is compiled for 17, so it finds them reflectively. */
    private static String onVirtualThread(Callable<String> work) throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService)
                    Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException olderJdk) {
            return "unsupported";
        }
        try {
            return executor.submit(work).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    private static String read(java.io.InputStream in) throws Exception {
        try (in) {
            return "read " + new String(in.readAllBytes(), StandardCharsets.UTF_8).length() + " chars";
        }
    }

    private static String write(java.io.OutputStream out) throws Exception {
        try (out) {
            out.write('x');
            return "written";
        }
    }

    private static String roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject().getClass().getName();
        }
    }

    private Probe() {}
}
