package io.warden.scanner.bench;

import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.vuln.VulnerabilityMatcher;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Matching cost per component against a 5,000-advisory database (see docs/benchmarks.md). */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(MatchingBenchmarks.COMPONENTS)
public class MatchingBenchmarks {
    static final int COMPONENTS = 1_000;

    @State(Scope.Benchmark)
    public static class Matching {
        Path dir;
        VulnerabilityStore store;
        VulnerabilityMatcher warm;
        List<Component> components = new ArrayList<>();

        @Setup(Level.Trial)
        public void build() throws IOException {
            dir = ScannerBenchmarks.tempDir();
            store = VulnerabilityStore.openForImport(dir.resolve("db"));
            store.importOsv(BenchData.osvZip(dir.resolve("all.zip"), ScannerBenchmarks.ADVISORIES));
            String[][] packages = {
                {"org.apache.logging.log4j:log4j-core", "2.14.1"},
                {"com.fasterxml.jackson.core:jackson-databind", "2.9.8"},
                {"org.springframework:spring-beans", "5.3.17"},
                {"org.yaml:snakeyaml", "2.2"},
                {"com.google.guava:guava", "31.1-jre"},
                {"io.netty:netty-codec-http", "4.1.108.Final"},
                {"org.apache.commons:commons-text", "1.10.0"},
                {"org.example:not-in-the-database", "1.0"}
            };
            for (int i = 0; i < COMPONENTS; i++) {
                String[] p = packages[i % packages.length];
                int round = (i / packages.length) % (ScannerBenchmarks.ADVISORIES / 19);
                String name = round == 0 ? p[0] : p[0] + "-" + round;
                components.add(Component.of(Ecosystem.MAVEN, name, p[1], "bench", null, List.of()));
            }
            warm = new VulnerabilityMatcher(store);
            for (Component c : components) {
                warm.match(c);
            }
        }

        @TearDown(Level.Trial)
        public void remove() throws IOException {
            store.close();
            ScannerBenchmarks.delete(dir);
        }
    }

    /** Matching with every package's entries already compiled (each package after its first component). */
    @Benchmark
    public int matchComponentWarm(Matching m) throws IOException {
        int found = 0;
        for (Component c : m.components) {
            found += m.warm.match(c).size();
        }
        return found;
    }

    /** Matching from a fresh matcher: each package's first lookup reads SQLite and compiles its ranges. */
    @Benchmark
    public int matchComponentCold(Matching m) throws IOException {
        VulnerabilityMatcher cold = new VulnerabilityMatcher(m.store);
        int found = 0;
        for (Component c : m.components) {
            found += cold.match(c).size();
        }
        return found;
    }
}
