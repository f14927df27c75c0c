package io.warden.scanner.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OSV rules on Warden's own fixtures (src/test/resources/osv). */
@Tag("fast")
class OsvMatchingTest {
    @TempDir
    static Path dir;

    static VulnerabilityStore store;
    static VulnerabilityMatcher matcher;

    @BeforeAll
    static void importFixtures() throws IOException, URISyntaxException {
        store = VulnerabilityStore.openForImport(dir);
        store.importOsv(fixtures());
        matcher = new VulnerabilityMatcher(store);
    }

    @AfterAll
    static void close() throws IOException {
        store.close();
    }

    static Path fixtures() throws URISyntaxException {
        return Path.of(OsvMatchingTest.class
                        .getResource("/osv/WARDEN-TEST-0001.json")
                        .toURI())
                .getParent();
    }

    static List<String> ids(Ecosystem ecosystem, String name, String version) throws IOException {
        return matcher.match(Component.of(ecosystem, name, version, "test", null, List.of())).stream()
                .map(v -> v.advisory().id())
                .sorted()
                .toList();
    }

    @ParameterizedTest(name = "org.example:lib {0} -> {1}")
    @CsvSource({
        "0.9,     WARDEN-TEST-0002",
        "0.9.1,   WARDEN-TEST-0001 WARDEN-TEST-0002", // the versions list
        "1.0,     WARDEN-TEST-0001 WARDEN-TEST-0002", // introduced is inclusive
        "1.4,     WARDEN-TEST-0001 WARDEN-TEST-0002", // last_affected is inclusive
        "1.4.1,   WARDEN-TEST-0002",
        "2.0,     WARDEN-TEST-0001 WARDEN-TEST-0002", // an empty fixed is ignored: open above 2.0
        "2.9.9,   WARDEN-TEST-0001 WARDEN-TEST-0002",
        "3.0,     WARDEN-TEST-0001", // limit is exclusive
        "42,      WARDEN-TEST-0001",
    })
    void mavenRangesVersionsLastAffectedAndLimit(String version, String expected) throws IOException {
        // WARDEN-TEST-0003 is withdrawn: it affects every version and must never appear
        assertThat(ids(Ecosystem.MAVEN, "org.example:lib", version)).containsExactly(expected.split(" "));
    }

    @ParameterizedTest(name = "{0} {1} affected={2}")
    @CsvSource({
        "org.example:open, 1.4, false",
        "org.example:open, 1.5, true",
        "org.example:open, 99.0, true", // open at the top with no hint: every later version
        "org.example:hinted, 1.7, true",
        "org.example:hinted, 1.8, false", // closed by last_known_affected_version_range <= 1.7
    })
    void rangesOpenAtTheTop(String name, String version, boolean affected) throws IOException {
        assertThat(ids(Ecosystem.MAVEN, name, version)).hasSize(affected ? 1 : 0);
    }

    @ParameterizedTest(name = "npm {0} affected={1}")
    @CsvSource({
        "1.2.9, true",
        "1.3.0, false",
        "2.0.0-alpha.9, false",
        "2.0.0-beta.1, true",
        "2.0.0-beta.2, true",
        "2.0.0-rc.1, true",
        "2.0.0, false",
        "v1.0.0, true",
    })
    void npmSemverAndEcosystemRanges(String version, boolean affected) throws IOException {
        assertThat(ids(Ecosystem.NPM, "@example/left-pad", version)).hasSize(affected ? 1 : 0);
    }

    @ParameterizedTest(name = "PyPI {0} affected={1}")
    @CsvSource({
        "1.0.dev3, false",
        "1.0b9, false",
        "1.0rc1, true",
        "1.0RC2, true",
        "1.0, true",
        "1.0.0, true",
        "1.0.post1, false",
        "1.0-1, false",
        "1.1, false",
    })
    void pypiPep440Order(String version, boolean affected) throws IOException {
        assertThat(ids(Ecosystem.PYPI, "requests-toolbelt", version)).hasSize(affected ? 1 : 0);
    }

    @Test
    void pypiNamesMatchWhateverTheirCaseAndSeparators() throws IOException {
        assertThat(ids(Ecosystem.PYPI, "Requests.Toolbelt", "1.0")).containsExactly("WARDEN-TEST-0005");
    }

    @Test
    void reportsAliasesSeverityAndFixedVersions() throws IOException {
        List<Vulnerability> found =
                matcher.match(Component.of(Ecosystem.MAVEN, "org.example:lib", "0.9.1", "t", null, List.of()));
        Vulnerability first = found.stream()
                .filter(v -> v.advisory().id().equals("WARDEN-TEST-0001"))
                .findFirst()
                .orElseThrow();
        assertThat(first.advisory().aliases()).containsExactly("CVE-2099-0001");
        assertThat(first.advisory().severity()).isEqualTo(Severity.LOW); // database_specific.severity
        Vulnerability second = found.stream()
                .filter(v -> v.advisory().id().equals("WARDEN-TEST-0002"))
                .findFirst()
                .orElseThrow();
        assertThat(second.advisory().score()).isEqualTo(9.8); // computed from the CVSS vector
        assertThat(second.advisory().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(ids(Ecosystem.PYPI, "requests-toolbelt", "1.0")).hasSize(1);
        assertThat(matcher.match(Component.of(Ecosystem.PYPI, "requests-toolbelt", "1.0", "t", null, List.of()))
                        .get(0)
                        .advisory()
                        .severity())
                .isEqualTo(Severity.MEDIUM); // MODERATE
    }

    @Test
    void anUnknownVersionIsReportedAsPossiblyAffected() throws IOException {
        List<Vulnerability> found =
                matcher.match(Component.of(Ecosystem.MAVEN, "org.example:lib", null, "t", null, List.of()));
        assertThat(found)
                .extracting(v -> v.advisory().id())
                .containsExactlyInAnyOrder("WARDEN-TEST-0001", "WARDEN-TEST-0002");
        assertThat(found).allMatch(Vulnerability::versionUnknown);
    }

    @Test
    void otherEcosystemsAreNotStored() throws IOException {
        assertThat(store.advisoryCount()).isEqualTo(5); // 0003 is withdrawn; 0006 is kept for its Maven entries
    }
}
