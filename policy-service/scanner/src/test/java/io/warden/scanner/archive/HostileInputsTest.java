package io.warden.scanner.archive;

import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages built to hurt a scanner: each yields an "unscannable: why" finding, in bounded time, never a crash. Each
 * package is scanned both as a stream and as a file (read through its central directory), with the same findings.
 */
class HostileInputsTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final byte[] POM =
            "groupId=org.yaml\nartifactId=snakeyaml\nversion=1.30\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Scans the package as a stream and as a file, asserts that both find the same, and returns the first. */
    ScanResult scan(byte[] bytes, ArchiveLimits limits) {
        ScanResult streamed = scanStream(bytes, limits);
        ScanResult fromFile = scanFile(bytes, limits);
        assertThat(fromFile.unscannable()).as("read from a file").isEqualTo(streamed.unscannable());
        assertThat(fromFile.components())
                .extracting(c -> c.name() + "@" + c.version() + " in " + c.location())
                .as("read from a file")
                .isEqualTo(streamed.components().stream()
                        .map(c -> c.name() + "@" + c.version() + " in " + c.location())
                        .toList());
        return streamed;
    }

    ScanResult scan(byte[] bytes) {
        return scan(bytes, ArchiveLimits.DEFAULT);
    }

    static ScanResult scanStream(byte[] bytes, ArchiveLimits limits) {
        return assertTimeoutPreemptively(
                BOUND, () -> new PackageScanner(null, limits).scan(new ByteArrayInputStream(bytes), "hostile.zip"));
    }

    ScanResult scanFile(byte[] bytes, ArchiveLimits limits) {
        return assertTimeoutPreemptively(BOUND, () -> {
            Path file = Files.write(dir.resolve("hostile.zip"), bytes);
            return new PackageScanner(null, limits).scan(file);
        });
    }

    @Test
    void zipBombByRatio() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("zeros.txt"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros deflate to about 64 KiB
                zip.write(zeros);
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("after.txt"));
            zip.write("never read".getBytes(StandardCharsets.UTF_8));
        }
        ScanResult result = scanStream(bytes.toByteArray(), ArchiveLimits.DEFAULT);
        assertThat(result.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.location()).isEqualTo("hostile.zip!/zeros.txt");
            assertThat(u.reason())
                    .contains("compression ratio above 100")
                    .contains("zip bomb")
                    .endsWith("; the rest of hostile.zip was not read");
        });
        // Through the central directory, only the bomb is skipped.
        assertThat(scanFile(bytes.toByteArray(), ArchiveLimits.DEFAULT).unscannable())
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.location()).isEqualTo("hostile.zip!/zeros.txt");
                    assertThat(u.reason())
                            .contains("compression ratio above 100")
                            .endsWith("a zip bomb; skipped");
                });
    }

    @Test
    void nestedZipBombStopsOnlyItsOwnArchive() {
        byte[] bomb = zip(Map.of("a.txt", new byte[50 << 20]));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("lib/bomb.jar", bomb);
        outer.put("META-INF/maven/org.yaml/snakeyaml/pom.properties", POM);
        ScanResult result = scan(zip(outer));
        assertThat(result.unscannable())
                .singleElement()
                .satisfies(u -> assertThat(u.location()).isEqualTo("hostile.zip!/lib/bomb.jar!/a.txt"));
        assertThat(result.components()).extracting(c -> c.name()).containsExactly("org.yaml:snakeyaml");
    }

    @Test
    void aPackageThatIsNeitherAnArchiveNorADirectoryIsRefused() throws IOException {
        for (String text : new String[] {"hello", "<html><body>503 Service Unavailable</body></html>", ""}) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(dir.resolve("upload.zip"), bytes);
            assertThatThrownBy(() -> new PackageScanner(null).scan(file))
                    .isInstanceOf(NotAnArchiveException.class)
                    .hasMessage(
                            "upload.zip is not a package: a package is a zip archive (zip, jar, war) or a directory,"
                                    + " and this "
                                    + (text.isEmpty()
                                            ? "is empty"
                                            : "starts with \"" + text.substring(0, Math.min(24, text.length()))
                                                    + "\""));
            assertThatThrownBy(() -> new PackageScanner(null).scan(new ByteArrayInputStream(bytes), "upload.zip"))
                    .isInstanceOf(NotAnArchiveException.class)
                    .hasMessageStartingWith("upload.zip is not a package");
        }
        assertThatThrownBy(() -> new PackageScanner(null)
                        .scan(new ByteArrayInputStream(new byte[] {0, 1, (byte) 0xff}), "x.jar"))
                .hasMessageEndingWith("starts with \"\\x00\\x01\\xFF\"");
    }

    @Test
    void zipBombByTotalSize() {
        byte[] tenMiB = new byte[10 << 20];
        new java.util.Random(1).nextBytes(tenMiB); // incompressible: no ratio alarm, only the total
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            entries.put("part" + i + ".txt", tenMiB); // text: inflated to be searched for secrets, however read
        }
        ArchiveLimits small = new ArchiveLimits(
                5,
                100_000,
                50L << 20,
                100,
                1 << 20,
                16 << 20,
                ArchiveLimits.MAX_HELD_ARCHIVE_BYTES,
                ArchiveLimits.HELD_ARCHIVES_BYTES,
                ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES);
        ScanResult result = scan(zip(entries), small);
        assertThat(result.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.location()).isEqualTo("hostile.zip");
            assertThat(u.reason()).contains("inflates to more than " + (50L << 20) + " bytes");
        });
    }

    @Test
    void aHundredThousandEntries() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i <= ArchiveLimits.MAX_ENTRIES_PER_ARCHIVE; i++) {
                zip.putNextEntry(new ZipEntry("e" + i));
                zip.closeEntry();
            }
        }
        ScanResult result = scan(bytes.toByteArray());
        assertThat(result.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.location()).isEqualTo("hostile.zip");
            assertThat(u.reason()).isEqualTo("more than 100000 entries; the rest was not read");
        });
    }

    @Test
    void deepNesting() {
        byte[] current = zip(Map.of("META-INF/maven/org.yaml/snakeyaml/pom.properties", POM));
        for (int depth = 0; depth < 10; depth++) {
            current = zip(Map.of("nested" + depth + ".jar", current));
        }
        ScanResult result = scan(current);
        assertThat(result.unscannable())
                .singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("nested deeper than 5 archives; not opened"));
        assertThat(result.components()).isEmpty();
    }

    @Test
    void pathTraversalNamesAreReportedAndSkipped() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("../../etc/passwd", "root:x:0:0".getBytes(StandardCharsets.UTF_8));
        entries.put("/abs/id_rsa", "x".getBytes(StandardCharsets.UTF_8));
        entries.put("ok/../../../evil.jar", zip(Map.of("META-INF/maven/org.yaml/snakeyaml/pom.properties", POM)));
        ScanResult result = scan(zip(entries));
        assertThat(result.unscannable())
                .extracting(Unscannable::reason)
                .containsExactly(
                        "entry name escapes the package root: ../../etc/passwd; skipped",
                        "entry name is an absolute path: /abs/id_rsa; skipped",
                        "entry name escapes the package root: ok/../../../evil.jar; skipped");
        assertThat(result.components()).isEmpty();
    }

    @Test
    void corruptAndTruncatedArchives() {
        Map<String, byte[]> goodEntries = new LinkedHashMap<>();
        goodEntries.put("META-INF/maven/org.yaml/snakeyaml/pom.properties", POM);
        goodEntries.put("big.txt", new byte[100_000]);
        byte[] good = zip(goodEntries);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] garbage = good.clone();
        for (int i = 60; i < garbage.length - 30; i++) {
            garbage[i] = (byte) (i * 31);
        }
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("lib/truncated.jar", truncated);
        outer.put("lib/garbage.jar", garbage);
        outer.put("lib/not-a-zip.jar", "PK\u0003\u0004 but nothing else".getBytes(StandardCharsets.ISO_8859_1));
        outer.put("lib/good.jar", good);
        ScanResult result = scan(zip(outer));
        assertThat(result.unscannable())
                .extracting(Unscannable::location)
                .contains(
                        "hostile.zip!/lib/truncated.jar",
                        "hostile.zip!/lib/garbage.jar",
                        "hostile.zip!/lib/not-a-zip.jar");
        // overwritten bytes read as anything: a bad header, a bad name, bad compressed data
        assertThat(result.unscannable())
                .allSatisfy(
                        u -> assertThat(u.reason())
                                .matches(
                                        "corrupt archive: .+|an entry name flagged as UTF-8 is not valid UTF-8; the rest was not read"));
        assertThat(result.unscannable())
                .filteredOn(u -> !u.location().endsWith("garbage.jar"))
                .allSatisfy(u -> assertThat(u.reason()).startsWith("corrupt archive"));
        assertThat(result.components()).extracting(c -> c.location()).contains("hostile.zip!/lib/good.jar");
    }

    @Test
    void aSingleHugeEntryIsNotReadIntoMemory() {
        ArchiveLimits small = new ArchiveLimits(
                5,
                100_000,
                2L << 30,
                100,
                1 << 20,
                1 << 20,
                ArchiveLimits.MAX_HELD_ARCHIVE_BYTES,
                ArchiveLimits.HELD_ARCHIVES_BYTES,
                ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES);
        byte[] big = new byte[3 << 20];
        new java.util.Random(2).nextBytes(big);
        ScanResult result = scan(zip(Map.of("config.properties", big)), small);
        assertThat(result.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.location()).isEqualTo("hostile.zip!/config.properties");
            assertThat(u.reason()).isEqualTo("larger than 1048576 bytes; its content was not inspected");
        });
    }

    @Test
    void namesThatAreNotUtf8AreReportedAndTheRestIsRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.ISO_8859_1)) {
            zip.putNextEntry(new ZipEntry("caf\u00e9.txt")); // stored as the single byte 0xE9: not UTF-8
            zip.write(1);
            zip.putNextEntry(new ZipEntry("META-INF/maven/org.yaml/snakeyaml/pom.properties"));
            zip.write(POM);
        }
        ScanResult result = scan(bytes.toByteArray());
        assertThat(result.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.location()).isEqualTo("hostile.zip!/caf\\xE9.txt");
            assertThat(u.reason()).isEqualTo("entry name is not valid UTF-8; skipped");
        });
        assertThat(result.components()).extracting(c -> c.name()).containsExactly("org.yaml:snakeyaml");
    }
}
