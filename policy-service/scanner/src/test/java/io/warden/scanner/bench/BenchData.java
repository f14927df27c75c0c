package io.warden.scanner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Inputs for the benchmarks, built from the real jars and the real advisories of the shared corpus. */
final class BenchData {
    static final ObjectMapper JSON = new ObjectMapper();
    /** How far the running size of the benchmark package may stray from the line to its target. */
    static final long SLACK_BYTES = 4_000_000;

    private BenchData() {}

    static Path realJars() {
        return Path.of(System.getProperty("warden.realJars", "policy-service/scanner/target/real-jars"));
    }

    static Path corpus() {
        String dir = System.getProperty("warden.corpus", "");
        if (dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("the benchmarks need the shared OSV corpus (-Dwarden.corpus=DIR)");
        }
        return Path.of(dir);
    }

    /**
     * A function zip of {@code count} jars adding up to about {@code targetBytes}: real jars under lib/, renamed by
     * their position. Every real jar is used once, then as evenly as the target allows: each next jar is the least used
     * of those that keep the running total within {@value #SLACK_BYTES} bytes of the line to the target.
     */
    static Path functionZip(Path file, int count, long targetBytes) throws IOException {
        List<Path> jars;
        try (Stream<Path> list = Files.list(realJars())) {
            jars = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        Map<Path, Integer> uses = new HashMap<>();
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < count; i++) {
                long line = targetBytes * (i + 1) / count;
                long sofar = total;
                Comparator<Path> offLine = Comparator.comparingLong(p -> Math.abs(sofar + size(p) - line));
                // Each jar once first (one may be larger than the slack), then along the line.
                Path pick = i < jars.size()
                        ? jars.get(i)
                        : jars.stream()
                                .filter(p -> Math.abs(sofar + size(p) - line) <= SLACK_BYTES)
                                .min(Comparator.comparingInt((Path p) -> uses.getOrDefault(p, 0))
                                        .thenComparing(offLine))
                                .orElseGet(() -> jars.stream().min(offLine).orElseThrow());
                uses.merge(pick, 1, Integer::sum);
                byte[] bytes = Files.readAllBytes(pick);
                zip.putNextEntry(new ZipEntry("lib/" + i + "-" + pick.getFileName()));
                zip.write(bytes);
                zip.closeEntry();
                total += bytes.length;
            }
        }
        if (uses.size() != jars.size()) {
            throw new IllegalStateException("only " + uses.size() + " of the " + jars.size() + " real jars were used");
        }
        return file;
    }

    /** An OSV all.zip of {@code count} records: the corpus records again and again, with new ids and package names. */
    static Path osvZip(Path file, int count) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> list = Files.list(corpus())) {
            for (Path p :
                    list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                records.add(JSON.readTree(p.toFile()));
            }
        }
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < count; i++) {
                ObjectNode record = records.get(i % records.size()).deepCopy();
                int round = i / records.size();
                String id = record.path("id").asText() + "-" + round;
                record.put("id", id);
                if (round > 0) {
                    for (JsonNode affected : record.path("affected")) {
                        ObjectNode pkg = (ObjectNode) affected.path("package");
                        pkg.put("name", pkg.path("name").asText() + "-" + round);
                    }
                }
                zip.putNextEntry(new ZipEntry(id + ".json"));
                zip.write(JSON.writeValueAsBytes(record));
                zip.closeEntry();
            }
        }
        return file;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
