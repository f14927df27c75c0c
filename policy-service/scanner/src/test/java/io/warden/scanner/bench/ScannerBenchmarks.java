package io.warden.scanner.bench;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scanner's budgets: scanning a 250 MB function zip of 300 real jars with 256 MB of heap, and importing a
 * 5,000-advisory OSV zip ({@link MatchingBenchmarks} has matching). Run with the benchmark profile (see
 * docs/benchmarks.md).
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ScannerBenchmarks {
    static final int JARS = 300;
    static final long PACKAGE_BYTES = 250L * 1000 * 1000;
    static final int ADVISORIES = 5_000;

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("warden-bench");
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class FunctionPackage {
        Path dir;
        Path zip;
        VulnerabilityStore store;

        @Setup(Level.Trial)
        public void build() throws IOException {
            dir = tempDir();
            zip = BenchData.functionZip(dir.resolve("function.zip"), JARS, PACKAGE_BYTES);
            store = VulnerabilityStore.openForImport(dir.resolve("db"));
            store.importOsv(BenchData.corpus());
            System.out.printf("%nfunction.zip: %d bytes, %d jars%n", Files.size(zip), JARS);
        }

        /** The process's CPU time at the start of an iteration: load on a shared machine disturbs it less. */
        long cpuAtStart;

        @Setup(Level.Iteration)
        public void startCpu() {
            cpuAtStart = processCpuNanos();
        }

        @TearDown(Level.Iteration)
        public void printCpu() {
            System.out.printf("(process CPU time %d ms) ", (processCpuNanos() - cpuAtStart) / 1_000_000);
        }

        @TearDown(Level.Trial)
        public void remove() throws IOException {
            store.close();
            delete(dir);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Benchmark
    public ScanResult scan250MbFunctionZip(FunctionPackage p) throws IOException {
        ScanResult result = new PackageScanner(p.store).scan(p.zip);
        // Each jar is one component of its own (grpc-netty-shaded carries netty-codec-http embedded besides).
        long jars =
                result.components().stream().filter(c -> c.embeddedIn() == null).count();
        if (jars != JARS || !result.unscannable().isEmpty()) {
            throw new IllegalStateException("expected " + JARS + " jars identified and nothing unscannable, got " + jars
                    + " and " + result.unscannable());
        }
        return result;
    }

    @State(Scope.Benchmark)
    public static class OsvExport {
        Path dir;
        Path zip;
        Path db;

        @Setup(Level.Trial)
        public void build() throws IOException {
            dir = tempDir();
            zip = BenchData.osvZip(dir.resolve("all.zip"), ADVISORIES);
        }

        @Setup(Level.Invocation)
        public void freshDatabase() throws IOException {
            db = Files.createTempDirectory(dir, "db");
        }

        @TearDown(Level.Trial)
        public void remove() throws IOException {
            delete(dir);
        }
    }

    @Benchmark
    public int import5000AdvisoryOsvZip(OsvExport export) throws IOException {
        try (VulnerabilityStore store = VulnerabilityStore.openForImport(export.db)) {
            return store.importOsv(export.zip).stored();
        }
    }
}
