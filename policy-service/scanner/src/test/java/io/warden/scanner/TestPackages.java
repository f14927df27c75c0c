package io.warden.scanner;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Real jars fetched by the build, the shared advisory corpus, and zips assembled from them. */
public final class TestPackages {
    private TestPackages() {}

    /** A genuine Maven Central jar copied into target/real-jars by the build. */
    public static Path realJar(String fileName) {
        Path jar = Path.of(System.getProperty("warden.realJars", "target/real-jars"))
                .resolve(fileName);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing test jar " + jar + " (the build copies it; run mvn verify)");
        }
        return jar;
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shared OSV corpus; tests that need it are skipped where it does not exist, except in CI, where its absence
     * fails them.
     */
    public static Path corpus() {
        String dir = System.getProperty("warden.corpus", "");
        boolean present = !dir.isBlank() && Files.isDirectory(Path.of(dir));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("the shared OSV corpus is not present (warden.corpus='" + dir + "')");
        }
        assumeTrue(present, "the shared OSV corpus is not present");
        return Path.of(dir);
    }

    /** A database in {@code dir} holding the shared corpus. */
    public static VulnerabilityStore corpusStore(Path dir) throws IOException {
        VulnerabilityStore store = VulnerabilityStore.openForImport(dir);
        store.importOsv(corpus());
        return store;
    }

    /**
     * The advisory ids that the corpus's expected.tsv gives for a Maven package version (for UNSURE rows, the intended
     * answer in the note), or null when the file has no row for it.
     */
    public static java.util.Set<String> expectedAdvisories(String name, String version) throws IOException {
        for (String row : Files.readAllLines(corpus().resolve("expected.tsv"))) {
            String[] f = row.split("\t");
            if (row.startsWith("#") || f.length < 3 || !f[0].equals(name) || !f[1].equals(version)) {
                continue;
            }
            String ids = f[2];
            if (f.length > 3 && f[3].startsWith("UNSURE")) {
                java.util.regex.Matcher intent = java.util.regex.Pattern.compile("intent answer = (\\S+)")
                        .matcher(f[3]);
                if (!intent.find()) {
                    throw new IllegalStateException("UNSURE row without an intended answer: " + row);
                }
                ids = intent.group(1);
            }
            return ids.equals("-") ? java.util.Set.of() : java.util.Set.of(ids.split(","));
        }
        return null;
    }

    /** A zip with these entries, in this order, deflated. */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entries of a jar, in order (directories left out). */
    public static Map<String, byte[]> entries(byte[] jar) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    public static Map<String, byte[]> entries(Path jar) {
        return entries(bytes(jar));
    }

    public static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
