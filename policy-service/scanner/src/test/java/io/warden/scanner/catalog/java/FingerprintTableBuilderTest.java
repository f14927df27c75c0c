package io.warden.scanner.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.TestPackages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds a sample of the checked-in fingerprint table from the real jars the build fetches for the tests, so a
 * change to {@link ClassShape} or to the table that the other does not follow fails here.
 */
@Tag("fast")
class FingerprintTableBuilderTest {

    @Test
    void theCheckedInTableHoldsWhatTheRealJarsGive() throws IOException {
        Map<String, List<String>> table = new HashMap<>();
        for (String[] f : ResourceTable.rows(ClassFingerprints.TABLE, 4)) {
            table.put(f[0] + " " + f[1] + " " + f[2], List.of(f[3].split(",")));
        }

        List<FingerprintTableBuilder.Row> sample = FingerprintTableBuilder.rows(
                TestPackages.realJar("log4j-core-2.14.1.jar").getParent());

        // Every fingerprinted library of the test jars, each at its own version.
        assertThat(sample)
                .extracting(r -> r.library() + " " + r.versions())
                .contains(
                        "org.apache.logging.log4j:log4j-core [2.14.1]",
                        "org.apache.logging.log4j:log4j-core [2.17.1]",
                        "com.fasterxml.jackson.core:jackson-databind [2.9.8]",
                        "com.fasterxml.jackson.core:jackson-databind [2.15.2]",
                        "org.springframework:spring-beans [5.3.17]",
                        "org.springframework:spring-beans [5.3.18]",
                        "org.apache.commons:commons-text [1.9]",
                        "org.apache.commons:commons-text [1.10.0]",
                        "org.yaml:snakeyaml [1.30]",
                        "org.yaml:snakeyaml [2.2]",
                        "com.h2database:h2 [1.4.200]",
                        "io.netty:netty-codec-http [4.1.70.Final]");
        for (FingerprintTableBuilder.Row row : sample) {
            List<String> inTable = table.get(row.library() + " " + row.canonicalPath() + " " + row.fingerprint());
            assertThat(inTable)
                    .as("%s of %s %s in class-fingerprints.tsv", row.canonicalPath(), row.library(), row.versions())
                    .isNotNull()
                    .containsAll(row.versions());
        }
    }

    @Test
    void versionsComeFromFileNamesOfTheArtifact() {
        assertThat(FingerprintTableBuilder.versionOf(Path.of("log4j-core-2.14.1.jar"), "log4j-core"))
                .isEqualTo("2.14.1");
        assertThat(FingerprintTableBuilder.versionOf(Path.of("log4j-core-java9-2.14.1.jar"), "log4j-core"))
                .isNull();
        assertThat(FingerprintTableBuilder.versionOf(Path.of("h2-1.4.200.jar"), "log4j-core"))
                .isNull();
    }
}
