package io.warden.scanner.report;

import static io.warden.scanner.TestPackages.bytes;
import static io.warden.scanner.TestPackages.realJar;
import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports of a real scan (log4j 2.14.1, a relocated JndiLookup, a secret, an unscannable part), checked by schema. */
@Tag("fast")
class ReportFormatsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static ScanResult result;

    @BeforeAll
    static void scan() throws IOException, URISyntaxException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("lib/log4j-core-2.14.1.jar", bytes(realJar("log4j-core-2.14.1.jar")));
        entries.put("lib/broken.jar", "PK\u0003\u0004broken".getBytes(StandardCharsets.ISO_8859_1));
        entries.put(
                "config/app.env",
                ("GITHUB_TOKEN=ghp_" + "R4nd0mT0k3nV4lu3Xq9Zw8Yb7Lc6Mk5Jh2Gf\n").getBytes(StandardCharsets.UTF_8));
        try (VulnerabilityStore store = VulnerabilityStore.openForImport(dir)) {
            store.importOsv(Path.of(ReportFormatsTest.class
                            .getResource("/osv/WARDEN-TEST-0001.json")
                            .toURI())
                    .getParent());
            Path corpusLike = Files.createDirectories(dir.resolve("log4j"));
            Files.writeString(
                    corpusLike.resolve("WARDEN-TEST-LOG4J.json"),
                    "{\"id\":\"WARDEN-TEST-LOG4J\",\"aliases\":[\"CVE-2099-4422\"],"
                            + "\"summary\":\"Fixture for log4j-core\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
                            + "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\"}],\"affected\":[{\"package\":{\"ecosystem\":\"Maven\","
                            + "\"name\":\"org.apache.logging.log4j:log4j-core\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
                            + "[{\"introduced\":\"2.0-beta9\"},{\"fixed\":\"2.15.0\"}]}]}]}");
            store.importOsv(corpusLike);
            result = new PackageScanner(store).scan(new ByteArrayInputStream(zip(entries)), "function.zip");
        }
        assertThat(result.vulnerabilities()).isNotEmpty();
        assertThat(result.secrets()).isNotEmpty();
        assertThat(result.unscannable()).isNotEmpty();
    }

    static String render(ReportFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sarifIsValidAgainstTheSarif210SchemaAndFollowsGithubConventions() throws IOException {
        String sarif = render(ReportFormat.SARIF);
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("warden.sarifSchema")))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode log = JSON.readTree(sarif);
        assertThat(schema.validate(log)).isEmpty();

        JsonNode run = log.path("runs").get(0);
        JsonNode rules = run.path("tool").path("driver").path("rules");
        HashSet<String> ruleIds = new HashSet<>();
        rules.forEach(r -> {
            assertThat(ruleIds.add(r.path("id").asText()))
                    .as("one rule per advisory")
                    .isTrue();
        });
        JsonNode log4jRule = null;
        for (JsonNode r : rules) {
            if (r.path("id").asText().equals("WARDEN-TEST-LOG4J")) {
                log4jRule = r;
            }
        }
        assertThat(log4jRule).isNotNull();
        assertThat(log4jRule.path("properties").path("security-severity").asText())
                .isEqualTo("10.0");
        assertThat(run.path("results")).anySatisfy(r -> {
            assertThat(r.path("ruleId").asText()).isEqualTo("WARDEN-TEST-LOG4J");
            assertThat(r.path("level").asText()).isEqualTo("error");
            assertThat(r.path("message").path("text").asText())
                    .contains("CVE-2099-4422")
                    .contains("fixed in 2.15.0");
            assertThat(r.path("partialFingerprints").path("wardenFinding/v1").asText())
                    .hasSize(64);
        });
        assertThat(sarif).doesNotContain("R4nd0mT0k3nV4lu3Xq9Zw8Yb7Lc6Mk5Jh2Gf");
    }

    @Test
    void cycloneDxIsAValid16Sbom() throws Exception {
        String sbom = render(ReportFormat.CYCLONEDX);
        assertThat(new JsonParser().validate(sbom.getBytes(StandardCharsets.UTF_8), Version.VERSION_16))
                .isEmpty();
        JsonNode bom = JSON.readTree(sbom);
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("components"))
                .anySatisfy(c -> assertThat(c.path("purl").asText())
                        .isEqualTo("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"));
        assertThat(bom.path("vulnerabilities")).anySatisfy(v -> {
            assertThat(v.path("id").asText()).isEqualTo("WARDEN-TEST-LOG4J");
            assertThat(v.path("ratings").get(0).path("score").asDouble()).isEqualTo(10.0);
            assertThat(v.path("affects").get(0).path("ref").asText())
                    .startsWith("pkg:maven/org.apache.logging.log4j/log4j-core");
        });
    }

    @Test
    void jsonAndTableCarryEveryFinding() throws IOException {
        JsonNode json = JSON.readTree(render(ReportFormat.JSON));
        assertThat(json.path("summary").path("highestSeverity").asText()).isEqualTo("critical");
        assertThat(json.path("vulnerabilities"))
                .anySatisfy(v -> assertThat(v.path("aliases").get(0).asText()).isEqualTo("CVE-2099-4422"));
        assertThat(json.path("unscannable"))
                .anySatisfy(u -> assertThat(u.path("location").asText()).isEqualTo("function.zip!/lib/broken.jar"));
        String table = render(ReportFormat.TABLE);
        assertThat(table)
                .contains(
                        "VULNERABILITIES",
                        "WARDEN-TEST-LOG4J",
                        "CVE-2099-4422",
                        "SECRETS",
                        "UNSCANNABLE",
                        "COMPONENTS",
                        "org.apache.logging.log4j:log4j-core")
                .doesNotContain("R4nd0mT0k3nV4lu3Xq9Zw8Yb7Lc6Mk5Jh2Gf");
    }
}
