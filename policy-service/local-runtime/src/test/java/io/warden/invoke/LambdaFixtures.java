package io.warden.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.invoke.testfunctions.Throwing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Runs functions on the real Lambda runtime client through {@link LocalLambda}: the egress-demo example (with or
 * without the built Warden layer) and the small test functions in {@code testfunctions}, packaged like a deployment
 * zip. End-to-end tests of the agent use {@link #egressDemo()} with {@link #withBuiltLayer} and {@link #invoke}.
 */
public final class LambdaFixtures {

    public static final String EGRESS_DEMO_HANDLER = "io.warden.examples.EgressDemo::handleRequest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path testFunctionsZip;

    private LambdaFixtures() {}

    /** The example function's deployment zip, as the build made it. */
    public static Path egressDemoZip() {
        Path zip = Path.of(System.getProperty("warden.example.zip"));
        assertThat(zip)
                .as("the egress-demo zip (built by examples/egress-demo)")
                .isRegularFile();
        return zip;
    }

    public static FunctionSpec.Builder egressDemo() {
        return FunctionSpec.builder(egressDemoZip(), EGRESS_DEMO_HANDLER);
    }

    /** The event of the example: the URL it may call and the one it tries to send data to. */
    public static String egressDemoEvent(String allowedUrl, String exfilUrl) {
        return toJson(Map.of("allowedUrl", allowedUrl, "exfilUrl", exfilUrl));
    }

    /** Attaches the layer the build made (layer/target/warden-layer.zip, copied beside warden). */
    public static FunctionSpec.Builder withBuiltLayer(FunctionSpec.Builder function) {
        Path layer = RuntimeClient.builtLayer();
        assertThat(layer).as("the built Warden layer").isRegularFile();
        return function.layer(layer);
    }

    /**
     * A deployment zip of the functions in {@code testfunctions}: their classes at the root, lib/ with the Lambda core
     * jar. The classes come from this module's test classes directory, or from its test jar when another module's
     * tests use these fixtures.
     */
    public static synchronized Path testFunctionsZip() {
        if (testFunctionsZip == null) {
            testFunctionsZip = functionZip(Throwing.class, List.of());
        }
        return testFunctionsZip;
    }

    /**
     * A deployment zip of the classes in the package of {@code handler} (from a classes directory or a jar): those
     * classes at the root, lib/ with the Lambda core jar and {@code libraries}, as Lambda lays out a Java function.
     */
    public static Path functionZip(Class<?> handler, List<Path> libraries) {
        try {
            Path classes = codeSource(handler);
            String packageDir = handler.getPackageName().replace('.', '/') + "/";
            Path zip = Files.createTempFile("warden-test-functions", ".zip");
            zip.toFile().deleteOnExit();
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                if (Files.isDirectory(classes)) {
                    try (Stream<Path> files = Files.list(classes.resolve(packageDir))) {
                        for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                            put(out, classes.relativize(file).toString(), Files.readAllBytes(file));
                        }
                    }
                } else {
                    try (ZipFile jar = new ZipFile(classes.toFile())) {
                        for (ZipEntry entry : jar.stream()
                                .filter(e -> e.getName().startsWith(packageDir) && !e.isDirectory())
                                .sorted(Comparator.comparing(ZipEntry::getName))
                                .toList()) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                put(out, entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
                List<Path> jars = new ArrayList<>(List.of(codeSource(RequestHandler.class)));
                jars.addAll(libraries);
                for (Path library : jars) {
                    put(out, "lib/" + library.getFileName(), Files.readAllBytes(library));
                }
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FunctionSpec.Builder testFunction(Class<? extends RequestHandler<?, ?>> handler) {
        return FunctionSpec.builder(testFunctionsZip(), handler.getName());
    }

    /** Runs the function once per event and returns what Lambda would return and log. */
    public static InvokeRun invoke(FunctionSpec function, String... events) {
        List<byte[]> payloads = Arrays.stream(events)
                .map(event -> event.getBytes(StandardCharsets.UTF_8))
                .toList();
        try {
            return LocalLambda.invoke(function, payloads, line -> {});
        } catch (InvokeException | IOException e) {
            throw new AssertionError("cannot run " + function.handler() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The log entries that are JSON objects (Warden's lines, JSON-format log lines), parsed. */
    public static List<JsonNode> jsonLogLines(InvokeRun run) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.log()) {
            if (line.startsWith("{")) {
                lines.add(json(line));
            }
        }
        return lines;
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
