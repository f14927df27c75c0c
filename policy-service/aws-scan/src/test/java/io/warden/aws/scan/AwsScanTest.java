package io.warden.aws.scan;

import static io.warden.aws.AwsFixtures.HOME;
import static io.warden.aws.AwsFixtures.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAccount;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.CloudWatchFindingOutput;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.InMemoryFindingStore;
import io.warden.aws.iam.ObservedCalls;
import io.warden.aws.iam.RolePermissions;
import io.warden.aws.posture.IamUnusedPermissionsRule;
import io.warden.policy.observe.ObservationJson;
import io.warden.scanner.Severity;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full scans against the fake over HTTP, with real packages and the real SDK clients. */
class AwsScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    @TempDir
    Path dbDir;

    FakeAws aws;
    FakeAccount home;
    String log4jSha;
    String plainSha;
    String wardenV1;
    String wardenV2;
    final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy() throws Exception {
        aws = FakeAws.start(HOME);
        home = aws.home();
        log4jSha = aws.code(AwsFixtures.log4jFunction());
        plainSha = aws.code(AwsFixtures.plainFunction("plain"));
        wardenV1 = home.publishLayer(REGION, "warden", aws.code(AwsFixtures.wardenLayer("1")));
        wardenV2 = home.publishLayer(REGION, "warden", aws.code(AwsFixtures.wardenLayer("2")));
        String adminRole = home.role("admin-role", List.of(ADMIN), Map.of());
        String basicRole = home.role("basic-role", List.of(BASIC), Map.of());
        String broadRole = home.role("broad-role", List.of(BASIC), Map.of("data", """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Buckets", "Effect": "Allow", "Action": ["s3:*"], "Resource": "arn:aws:s3:::data/*"},
                  {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"""));
        home.function(REGION, "orders")
                .runtime("java21")
                .code(log4jSha)
                .role(adminRole)
                .layer(wardenV1)
                .url("NONE")
                .env("AWS_LAMBDA_EXEC_WRAPPER", "/opt/warden-wrapper")
                .env("DEPLOY_KEY_ID", AwsFixtures.KEY_ID)
                .env("DEPLOY_SECRET", AwsFixtures.SECRET_KEY);
        home.function(REGION, "orders-copy")
                .runtime("java21")
                .code(log4jSha)
                .role(basicRole)
                .layer(wardenV2)
                .env("AWS_LAMBDA_EXEC_WRAPPER", "/opt/warden-wrapper")
                .env("WARDEN_MODE", "alert");
        home.function(REGION, "legacy")
                .runtime("java8")
                .code(plainSha)
                .role(broadRole)
                .policy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                   "Resource": "arn:aws:lambda:eu-west-1:111111111111:function:legacy"}]}""");
        home.function(REGION, "reports")
                .runtime("python3.13")
                .code(plainSha)
                .role(basicRole)
                .policy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "events", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                   "Action": "lambda:InvokeFunction", "Resource": "*",
                   "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/r"}}}]}""");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private AwsScanner scanner(VulnerabilityStore advisories, InMemoryFindingStore store) throws Exception {
        return new AwsScanner(
                AwsFixtures.settings(aws),
                aws.credentials(),
                store,
                advisories,
                new CloudWatchFindingOutput(lines::add, AwsFixtures.TODAY));
    }

    private static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).sorted().toList();
    }

    private static List<Finding> of(InMemoryFindingStore store, String function) {
        return store.findings(new FindingQuery(function, null, null));
    }

    @Test
    void fullScanFindsVulnerabilitiesSecretsAndPostureOfEveryFunction() throws Exception {
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                AwsScanner scanner = scanner(advisories, store)) {
            ScanReport report = scanner.scanAll();

            assertThat(report.failures()).isEmpty();
            assertThat(report.functionsScanned()).isEqualTo(4);
            assertThat(store.functions())
                    .extracting(FunctionRecord::functionName)
                    .containsExactlyInAnyOrder("orders", "orders-copy", "legacy", "reports");

            List<Finding> orders = of(store, "orders");
            assertThat(rules(orders))
                    .containsExactly(
                            "GHSA-jfh8-c2jp-5v3q",
                            "aws-access-key-pair",
                            "function-url-public",
                            "role-administrator",
                            "warden-outdated");
            Finding vuln = orders.stream()
                    .filter(f -> f.type() == FindingType.VULNERABILITY)
                    .findFirst()
                    .orElseThrow();
            assertThat(vuln.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(vuln.subject()).contains("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
            assertThat(vuln.remediation()).contains("2.15.0");
            Finding secret = orders.stream()
                    .filter(f -> f.type() == FindingType.SECRET)
                    .findFirst()
                    .orElseThrow();
            assertThat(secret.subject()).isEqualTo("environment:DEPLOY_KEY_ID");
            assertThat(secret.title()).doesNotContain(AwsFixtures.SECRET_KEY).doesNotContain(AwsFixtures.KEY_ID);

            assertThat(rules(of(store, "orders-copy"))).containsExactly("GHSA-jfh8-c2jp-5v3q", "warden-alert-mode");
            assertThat(rules(of(store, "legacy")))
                    .containsExactly(
                            "invoke-policy-public",
                            "role-passrole-any",
                            "role-wildcard-action",
                            "runtime-deprecated",
                            "warden-absent");
            assertThat(of(store, "reports")).isEmpty();

            assertThat(store.findings(new FindingQuery(null, Severity.CRITICAL, null)))
                    .extracting(Finding::rule)
                    .contains(
                            "role-administrator", "invoke-policy-public", "aws-access-key-pair", "GHSA-jfh8-c2jp-5v3q")
                    .doesNotContain("warden-outdated", "runtime-deprecated");
            assertThat(store.findings(new FindingQuery(null, null, FindingType.SECRET)))
                    .hasSize(1);
        }
    }

    /**
     * With the agents' observations, the scan compares each execution role with what its function was observed doing:
     * the grants no observed call needed are findings; what Lambda itself uses (logs) and functions without
     * observations are not. The inventory keeps the role's policies for {@code warden iam suggest}.
     */
    @Test
    void grantsNoObservedCallNeededAreUnusedPermissions() throws Exception {
        ObservedCalls legacy = ObservedCalls.of(List.of(ObservationJson.parse("""
                {"warden":"observation","version":1,"function":"legacy","functionVersion":"3","region":"eu-west-1",
                 "time":"2026-12-01T10:00:00Z","dropped":0,"items":[{"kind":"aws","service":"s3","operation":"GetObject",
                 "region":"eu-west-1","resources":{"Bucket":"data","Key":"in/"},"count":7}]}""".replace("\n", ""))));
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner =
                scanner(null, store).withObservations(name -> name.equals("legacy") ? legacy : null)) {
            assertThat(scanner.scanAll().failures()).isEmpty();
        }
        assertThat(of(store, "legacy"))
                .filteredOn(f -> f.rule().equals(IamUnusedPermissionsRule.ID))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.LOW);
                    assertThat(f.subject()).isEqualTo("inline:data:iam:PassRole:*");
                    assertThat(f.title()).contains("1 observation line(s)");
                    assertThat(f.remediation()).contains("warden iam suggest legacy");
                });
        assertThat(store.functions())
                .flatExtracting(FunctionRecord::findings)
                .extracting(Finding::rule)
                .containsOnlyOnce(IamUnusedPermissionsRule.ID);

        FunctionRecord record = store.functionsNamed("legacy").get(0);
        assertThat(record.executionRole().roleArn()).endsWith(":role/service-role/broad-role");
        assertThat(record.executionRole().all())
                .extracting(RolePermissions.NamedPolicy::name)
                .containsExactly(BASIC, "inline:data");
        RolePermissions stored =
                FindingJson.function(FindingJson.toJson(record, true)).executionRole();
        assertThat(stored.all())
                .extracting(p -> p.document().statements())
                .isEqualTo(record.executionRole().all().stream()
                        .map(p -> p.document().statements())
                        .toList());
    }

    /** The handler Lambda runs names the function's own jar, which is searched though it names itself a library. */
    @Test
    void theJarHoldingTheFunctionsHandlerIsSearchedForSecrets() throws Exception {
        home.function(REGION, "maven-built").runtime("java21").code(aws.code(AwsFixtures.mavenBuiltFunction()));
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(null, store)) {
            assertThat(scanner.scanAll().failures()).isEmpty();
        }
        assertThat(of(store, "maven-built"))
                .filteredOn(f -> f.type() == FindingType.SECRET)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.rule()).isEqualTo("aws-access-key-pair");
                    assertThat(f.subject()).endsWith("maven-built.zip!/lib/orders-1.0.jar!/application.properties:1");
                    assertThat(f.title()).doesNotContain(AwsFixtures.SECRET_KEY);
                });
    }

    @Test
    void eachDistinctPackageAndLayerIsDownloadedOnceAndUnchangedCodeNeverAgain() throws Exception {
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                AwsScanner scanner = scanner(advisories, store)) {
            ScanReport first = scanner.scanAll();
            assertThat(aws.downloads(log4jSha)).isEqualTo(1);
            assertThat(aws.downloads(plainSha)).isEqualTo(1);
            assertThat(aws.totalDownloads()).isEqualTo(4);
            assertThat(first.packagesDownloaded()).isEqualTo(2);
            assertThat(first.layersDownloaded()).isEqualTo(2);
            assertThat(aws.calls("GetLayerVersionByArn")).isEqualTo(2);

            ScanReport second = scanner.scanAll();
            assertThat(aws.totalDownloads()).isEqualTo(4);
            assertThat(aws.calls("GetLayerVersionByArn")).isEqualTo(2);
            assertThat(second.packagesDownloaded()).isZero();
            assertThat(second.newFindings()).isEmpty();

            String newSha = aws.code(AwsFixtures.plainFunction("v2"));
            home.function(REGION, "reports").runtime("python3.13").code(newSha);
            scanner.scanAll();
            assertThat(aws.downloads(newSha)).isEqualTo(1);
            assertThat(aws.totalDownloads()).isEqualTo(5);
        }
    }

    @Test
    void newFindingsAreLoggedOnceAsJsonLinesWithMetricsBySeverity() throws Exception {
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                AwsScanner scanner = scanner(advisories, store)) {
            ScanReport report = scanner.scanAll();
            List<JsonNode> logs = lines.stream()
                    .map(AwsScanTest::parse)
                    .filter(n -> n.has("type"))
                    .toList();
            List<JsonNode> metrics = lines.stream()
                    .map(AwsScanTest::parse)
                    .filter(n -> n.has("_aws"))
                    .toList();
            assertThat(logs)
                    .hasSize(store.findings(FindingQuery.ALL).size())
                    .hasSize(report.newFindings().size());
            JsonNode url = logs.stream()
                    .filter(n -> n.get("rule").asText().equals("function-url-public"))
                    .findFirst()
                    .orElseThrow();
            assertThat(url.get("functionName").asText()).isEqualTo("orders");
            assertThat(url.get("severity").asText()).isEqualTo("HIGH");
            assertThat(url.get("remediation").asText()).contains("AWS_IAM");

            JsonNode directive =
                    metrics.get(0).get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("Warden");
            assertThat(directive.get("Metrics").get(0).get("Name").asText()).isEqualTo("Findings");
            int counted =
                    metrics.stream().mapToInt(m -> m.get("Findings").asInt()).sum();
            assertThat(counted).isEqualTo(logs.size());
            JsonNode ordersHigh = metrics.stream()
                    .filter(m -> "orders".equals(m.path("FunctionName").asText())
                            && m.get("Severity").asText().equals("CRITICAL"))
                    .findFirst()
                    .orElseThrow();
            assertThat(ordersHigh.get("Findings").asInt()).isEqualTo(3);

            lines.clear();
            scanner.scanAll();
            assertThat(lines).isEmpty();
        }
    }

    @Test
    void rematchAfterAnImportReportsNewAdvisoriesWithoutDownloading() throws Exception {
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                AwsScanner scanner = scanner(advisories, store)) {
            scanner.scanAll();
            int downloads = aws.totalDownloads();
            lines.clear();
            advisories.importOsv(AwsFixtures.resource("aws/osv/second"));

            ScanReport report = scanner.rematch();

            assertThat(aws.totalDownloads()).isEqualTo(downloads);
            assertThat(report.newFindings()).extracting(Finding::rule).containsOnly("GHSA-7rjr-3q55-vv33");
            assertThat(report.newFindings())
                    .extracting(Finding::resourceArn)
                    .containsExactlyInAnyOrder(
                            home.functionArn(REGION, "orders"), home.functionArn(REGION, "orders-copy"));
            assertThat(rules(of(store, "orders")))
                    .contains(
                            "GHSA-jfh8-c2jp-5v3q", "GHSA-7rjr-3q55-vv33", "function-url-public", "aws-access-key-pair");
            assertThat(lines.stream().filter(l -> l.contains("GHSA-7rjr-3q55-vv33") && l.contains("warden.finding")))
                    .hasSize(2);
        }
    }

    @Test
    void functionsThatAreGoneLeaveTheInventory() throws Exception {
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(null, store)) {
            scanner.scanAll();
            home.deleteFunction(REGION, "legacy");
            scanner.scanAll();
            assertThat(store.functions())
                    .extracting(FunctionRecord::functionName)
                    .containsExactlyInAnyOrder("orders", "orders-copy", "reports");
            assertThat(of(store, "legacy")).isEmpty();
        }
    }

    @Test
    void listingFollowsEveryPage() throws Exception {
        for (int i = 0; i < 120; i++) {
            home.function(REGION, String.format("bulk-%03d", i))
                    .runtime("python3.13")
                    .code(plainSha);
        }
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(null, store)) {
            ScanReport report = scanner.scanAll();
            assertThat(report.functionsScanned()).isEqualTo(124);
            assertThat(aws.calls("ListFunctions")).isEqualTo(3);
            assertThat(aws.downloads(plainSha)).isEqualTo(1);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
