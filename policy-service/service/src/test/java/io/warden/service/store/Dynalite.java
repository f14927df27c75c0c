package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite, an in-memory implementation of the DynamoDB API (npm), on a free loopback port: one process for the whole
 * test run, stopped when the run ends. The build installs it into target/dynalite.
 */
public final class Dynalite implements AutoCloseable {

    static final long START_TIMEOUT_SECONDS = 30;
    private static final AtomicInteger TABLE_PREFIXES = new AtomicInteger();

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Resolves test parameters of type {@link Dynalite}: {@code @ExtendWith(Dynalite.Resolver.class)}. */
    public static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Dynalite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }

    /** The run's dynalite, started on first use. */
    static Dynalite get(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Dynalite.class, key -> start(), Dynalite.class);
    }

    /** A dynalite of its own, for a program outside JUnit (a benchmark); the caller closes it. */
    public static Dynalite start() {
        Path cli = Path.of(System.getProperty("warden.dynalite.dir"), "node_modules", "dynalite", "cli.js");
        assertThat(cli)
                .as("dynalite, installed by the build (npm install dynalite@4)")
                .isRegularFile();
        int port = freePort();
        try {
            Process process = new ProcessBuilder(
                            "node",
                            cli.toString(),
                            "--port",
                            Integer.toString(port),
                            "--host",
                            "127.0.0.1",
                            "--createTableMs",
                            "0",
                            "--deleteTableMs",
                            "0",
                            "--updateTableMs",
                            "0")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader output =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            if (line == null || !line.startsWith("Dynalite listening")) {
                process.destroyForcibly();
                throw new IllegalStateException("dynalite did not start: " + line);
            }
            Thread drain = new Thread(
                    () -> {
                        try {
                            while (output.readLine() != null) {
                                // Discarded: dynalite prints nothing useful after starting.
                            }
                        } catch (IOException ignored) {
                            // Stopped.
                        }
                    },
                    "dynalite-output");
            drain.setDaemon(true);
            drain.start();
            return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The real SDK client, pointed at dynalite. */
    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A table name prefix no other test uses, so each test has its own empty tables. */
    public static String newTablePrefix() {
        return "test" + TABLE_PREFIXES.incrementAndGet() + "-";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
