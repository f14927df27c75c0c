package io.warden.scanner.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.TestPackages;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.scanner.vuln.version.MavenScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared corpus of real GitHub advisories: every expected.tsv row and every maven-version-order.tsv pair. */
@Tag("fast")
class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void everyExpectedRowMatchesTheAdvisoriesItLists() throws IOException {
        Path corpus = TestPackages.corpus();
        List<String> rows = data(corpus.resolve("expected.tsv"));
        assertThat(rows).hasSizeGreaterThan(50);
        try (VulnerabilityStore store = TestPackages.corpusStore(dir)) {
            VulnerabilityMatcher matcher = new VulnerabilityMatcher(store);
            List<String> mismatches = new ArrayList<>();
            for (String row : rows) {
                String[] f = row.split("\t");
                TreeSet<String> want = new TreeSet<>(TestPackages.expectedAdvisories(f[0], f[1]));
                TreeSet<String> got = new TreeSet<>();
                matcher.match(Component.of(Ecosystem.MAVEN, f[0], f[1], "test", null, List.of()))
                        .forEach(v -> got.add(v.advisory().id()));
                if (!got.equals(want)) {
                    mismatches.add(f[0] + " " + f[1] + ": want " + want + ", got " + got);
                }
            }
            assertThat(mismatches).isEmpty();
        }
    }

    @Test
    void everyMavenVersionPairComparesAsComparableVersionDoes() throws IOException {
        List<String> rows = data(TestPackages.corpus().resolve("maven-version-order.tsv"));
        assertThat(rows).hasSizeGreaterThan(30);
        MavenScheme maven = new MavenScheme();
        for (String row : rows) {
            String[] f = row.split("\t");
            int sign = Integer.signum(maven.parse(f[0]).compareTo(maven.parse(f[1])));
            assertThat(sign).as("compare(%s, %s)", f[0], f[1]).isEqualTo(Integer.parseInt(f[2]));
        }
    }

    private static List<String> data(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
    }
}
