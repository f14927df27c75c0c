package io.warden.scanner.catalog.java;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Builds {@code class-fingerprints.tsv}: for every class of {@code fingerprint-classes.tsv}, its {@link ClassShape}
 * fingerprint in every version of its library found in a folder of real jars named {@code artifactId-version.jar}
 * (the fingerprints profile of the build copies them there from Maven Central), and the versions sharing each.
 *
 * <pre>mvn -B -pl policy-service/scanner -am -Pfingerprints -DskipTests verify</pre>
 */
public final class FingerprintTableBuilder {
    private FingerprintTableBuilder() {}

    /** One row of the table: a class of a library, a fingerprint, and the versions (in Maven order) that have it. */
    public record Row(String library, String canonicalPath, String fingerprint, List<String> versions) {
        String line() {
            return library + "\t" + canonicalPath + "\t" + fingerprint + "\t" + String.join(",", versions);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FingerprintTableBuilder JARS_DIR OUTPUT_TSV");
        }
        List<Row> rows = rows(Path.of(args[0]));
        List<String> lines = new ArrayList<>();
        lines.add(
                "# Built by the fingerprints profile of policy-service/scanner/pom.xml (FingerprintTableBuilder) from the real jars");
        lines.add("# it fetches from Maven Central; do not edit. Versions not fetched are not listed.");
        lines.add("# groupId:artifactId\tclass path\tfingerprint\tversions");
        rows.forEach(r -> lines.add(r.line()));
        Files.write(Path.of(args[1]), lines, StandardCharsets.UTF_8);
        System.out.println("class-fingerprints: " + rows.size() + " rows from " + args[0]);
    }

    /** The rows for every fingerprinted class in the jars of this folder. */
    public static List<Row> rows(Path jarsDir) throws IOException {
        List<Path> jars;
        try (Stream<Path> list = Files.list(jarsDir)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
        // library + class → fingerprint → versions
        Map<String, Map<String, List<String>>> found = new TreeMap<>();
        for (ClassFingerprints.FingerprintedClass c :
                ClassFingerprints.builtIn().classes()) {
            String artifactId = c.library().substring(c.library().indexOf(':') + 1);
            for (Path jar : jars) {
                String version = versionOf(jar, artifactId);
                if (version == null) {
                    continue;
                }
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry entry = zip.getEntry(c.canonicalPath());
                    if (entry == null) {
                        continue;
                    }
                    String fingerprint =
                            ClassShape.fingerprint(zip.getInputStream(entry).readAllBytes());
                    if (fingerprint == null) {
                        throw new IOException(c.canonicalPath() + " in " + jar + " is not a readable class file");
                    }
                    found.computeIfAbsent(c.library() + "\t" + c.canonicalPath(), k -> new TreeMap<>())
                            .computeIfAbsent(fingerprint, k -> new ArrayList<>())
                            .add(version);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        found.forEach((key, byFingerprint) -> byFingerprint.forEach((fingerprint, versions) -> {
            versions.sort(Comparator.comparing(ComparableVersion::new));
            String[] k = key.split("\t");
            rows.add(new Row(k[0], k[1], fingerprint, List.copyOf(versions)));
        }));
        rows.sort(Comparator.comparing(Row::library)
                .thenComparing(Row::canonicalPath)
                .thenComparing(r -> new ComparableVersion(r.versions().get(0))));
        return rows;
    }

    /** The version in {@code artifactId-version.jar}, or null when the jar is not of that artifact. */
    static String versionOf(Path jar, String artifactId) {
        String name = jar.getFileName().toString();
        String prefix = artifactId + "-";
        if (!name.startsWith(prefix) || !name.endsWith(".jar") || name.length() <= prefix.length() + 4) {
            return null;
        }
        String version = name.substring(prefix.length(), name.length() - 4);
        return Character.isDigit(version.charAt(0)) ? version : null;
    }
}
