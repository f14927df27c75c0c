package io.warden.benchmarks;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Operations the policy allows, timed with and without the agent ({@link Comparison} runs both): what Warden adds to a
 * function's ordinary work. The agent's policy (benchmarks/hot-path-policy.json) allows exactly these targets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {

    /** The directory the benchmark policy allows. */
    static final Path DIRECTORY = Path.of("/tmp/warden-bench");

    private Path file;
    private java.io.File ioFile;
    private ServerSocket server;
    private InetSocketAddress serverAddress;
    private Thread acceptor;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Files.createDirectories(DIRECTORY);
        file = Files.writeString(DIRECTORY.resolve("data.txt"), "warden");
        ioFile = file.toFile();
        server = new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        serverAddress = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket accepted = server.accept()) {
                            accepted.getPort(); // closed at once; the client resets, so neither side keeps TIME_WAIT
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        InetAddress.getByName("localhost");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        server.close();
    }

    @Benchmark
    public int fileInputStreamOpenClose() throws IOException {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return in.available();
        }
    }

    /** Metadata of an allowed file: checked against the deny lists. */
    @Benchmark
    public boolean fileExists() {
        return ioFile.exists();
    }

    @Benchmark
    public boolean socketConnectLoopback() throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0); // a reset instead of TIME_WAIT, so a long run does not run out of ports
            socket.connect(serverAddress);
            return socket.isConnected();
        }
    }

    @Benchmark
    public InetAddress cachedNameLookup() throws IOException {
        return InetAddress.getByName("localhost");
    }
}
