package io.warden.scanner.archive;

import static io.warden.scanner.TestPackages.bytes;
import static io.warden.scanner.TestPackages.realJar;
import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.secrets.SecretFinding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading through central directories: the same findings as reading streams, with only the entries that are needed
 * inflated; archives too large to hold, or with too large a central directory, are read as streams.
 */
class RandomAccessTest {
    static final List<String> JARS = List.of(
            "log4j-core-2.14.1.jar",
            "jackson-databind-2.9.8.jar",
            "spring-beans-5.3.17.jar",
            "commons-text-1.9.jar",
            "snakeyaml-1.30.jar",
            "guava-31.1-jre.jar",
            "netty-codec-http-4.1.70.Final.jar");
    static final byte[] SNAKEYAML_POM =
            "groupId=org.yaml\nartifactId=snakeyaml\nversion=1.30\n".getBytes(StandardCharsets.UTF_8);
    static final String GITHUB_TOKEN = "ghp_" + "R4nd0mT0k3nV4lu3Xq9Zw8Yb7Lc6Mk5Jh2Gf";
    /** Nested archives are never held in memory: every one is read as a stream. */
    static final ArchiveLimits NOTHING_HELD = new ArchiveLimits(
            5,
            100_000,
            2L << 30,
            100,
            1 << 20,
            16 << 20,
            0,
            ArchiveLimits.HELD_ARCHIVES_BYTES,
            ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES);
    /** Every central directory is too large to read as a whole: every archive is read as a stream. */
    static final ArchiveLimits NO_CENTRAL_DIRECTORY = new ArchiveLimits(
            5,
            100_000,
            2L << 30,
            100,
            1 << 20,
            16 << 20,
            ArchiveLimits.MAX_HELD_ARCHIVE_BYTES,
            ArchiveLimits.HELD_ARCHIVES_BYTES,
            0);

    @TempDir
    Path dir;

    ScanResult scanFile(byte[] packageBytes, String name, PackageScanner scanner) throws IOException {
        return scanner.scan(Files.write(dir.resolve(name), packageBytes));
    }

    static List<String> described(ScanResult result) {
        return result.components().stream()
                .map(c -> c.name() + "@" + c.version() + " in " + c.location() + " embedded in " + c.embeddedIn())
                .toList();
    }

    @Test
    void aFileAStreamAndStreamsAllTheWayDownFindTheSame() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("com/example/Handler.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        for (int copy = 0; copy < 3; copy++) {
            for (String jar : JARS) {
                entries.put("lib/" + copy + "-" + jar, bytes(realJar(jar)));
            }
        }
        byte[] function = zip(entries);
        ScanResult fromFile = scanFile(function, "function.zip", new PackageScanner(null));
        ScanResult streamed = new PackageScanner(null).scan(new ByteArrayInputStream(function), "function.zip");
        ScanResult allStreams = scanFile(function, "function.zip", new PackageScanner(null, NO_CENTRAL_DIRECTORY));

        assertThat(fromFile.components()).hasSize(3 * JARS.size());
        assertThat(described(streamed)).isEqualTo(described(fromFile));
        assertThat(described(allStreams)).isEqualTo(described(fromFile));
        assertThat(fromFile.unscannable()).isEmpty();
    }

    @Test
    void theClassesOfAPublishedJarAreNotInflatedUnlessItMustBeReadAsAStream() throws IOException {
        Map<String, byte[]> library = new LinkedHashMap<>();
        library.put("META-INF/maven/org.yaml/snakeyaml/pom.properties", SNAKEYAML_POM);
        library.put("org/yaml/snakeyaml/Zeros.class", new byte[50 << 20]); // a zip bomb, if anyone inflated it
        byte[] function = zip(Map.of("lib/snakeyaml-1.30.jar", zip(library)));

        ScanResult held = scanFile(function, "function.zip", new PackageScanner(null));
        assertThat(held.unscannable()).isEmpty();
        assertThat(held.components())
                .extracting(c -> c.name() + "@" + c.version())
                .containsExactly("org.yaml:snakeyaml@1.30");

        for (ArchiveLimits streaming : List.of(NOTHING_HELD, NO_CENTRAL_DIRECTORY)) {
            ScanResult streamed = scanFile(function, "function.zip", new PackageScanner(null, streaming));
            assertThat(streamed.unscannable()).singleElement().satisfies(u -> {
                assertThat(u.location())
                        .isEqualTo("function.zip!/lib/snakeyaml-1.30.jar!/org/yaml/snakeyaml/Zeros.class");
                assertThat(u.reason()).contains("zip bomb");
            });
            assertThat(streamed.components())
                    .extracting(c -> c.name() + "@" + c.version())
                    .containsExactly("org.yaml:snakeyaml@1.30");
        }
    }

    @Test
    void secretsAreLookedForInTheFunctionsOwnCodeAndInJarsThatAreNotPublishedArtifacts() throws IOException {
        byte[] handler = classWithToken();
        Map<String, byte[]> published = new LinkedHashMap<>();
        published.put("org/yaml/snakeyaml/Handler.class", handler); // before its metadata, as a stream would see it
        published.put("META-INF/maven/org.yaml/snakeyaml/pom.properties", SNAKEYAML_POM);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("BOOT-INF/classes/com/example/Handler.class", handler);
        entries.put("BOOT-INF/lib/snakeyaml-1.30.jar", zip(published));
        entries.put("BOOT-INF/lib/internal-tools.jar", zip(Map.of("com/example/tools/Handler.class", handler)));
        byte[] app = zip(entries);
        List<String> expected = List.of(
                "app.jar!/BOOT-INF/classes/com/example/Handler.class",
                "app.jar!/BOOT-INF/lib/internal-tools.jar!/com/example/tools/Handler.class");

        for (ArchiveLimits limits : List.of(ArchiveLimits.DEFAULT, NOTHING_HELD)) {
            ScanResult fromFile = scanFile(app, "app.jar", new PackageScanner(null, limits));
            ScanResult streamed = new PackageScanner(null, limits).scan(new ByteArrayInputStream(app), "app.jar");
            assertThat(fromFile.secrets()).extracting(SecretFinding::location).isEqualTo(expected);
            assertThat(streamed.secrets()).extracting(SecretFinding::location).isEqualTo(expected);
        }

        ScanResult deep = scanFile(app, "app.jar", new PackageScanner(null).deepSecrets(true));
        assertThat(deep.secrets())
                .extracting(SecretFinding::location)
                .containsExactly(
                        "app.jar!/BOOT-INF/classes/com/example/Handler.class",
                        "app.jar!/BOOT-INF/lib/internal-tools.jar!/com/example/tools/Handler.class",
                        "app.jar!/BOOT-INF/lib/snakeyaml-1.30.jar!/org/yaml/snakeyaml/Handler.class");
    }

    private byte[] classWithToken() throws IOException {
        Path source = dir.resolve("Handler.java");
        Files.writeString(
                source, "public class Handler {\n  static final String TOKEN = \"" + GITHUB_TOKEN + "\";\n}\n");
        int status =
                ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString());
        assertThat(status).isZero();
        return Files.readAllBytes(dir.resolve("Handler.class"));
    }
}
