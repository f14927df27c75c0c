package io.warden.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.iam.IamPolicySuggestionTest;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.scanner.Severity;
import io.warden.service.LocalService;
import io.warden.service.scan.ScannerPackageScans;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web view end to end: {@code warden serve}'s service with seeded violations, inventory, a stored policy, a package
 * scan and AWS findings, and the page in Debian's Chromium driven by playwright-core ({@code web/test/browser-test.mjs},
 * which asserts what each view shows). Screenshots of each view land in {@code target/web-screenshots/}.
 */
class WebViewBrowserTest {

    static final Path WEB = Path.of(System.getProperty("warden.web.dir", "web"));
    static final Path CHROMIUM = Path.of(System.getProperty("warden.chromium", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("warden.web.screenshots", "target/web-screenshots"));
    static final String XSS = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
    static final String PAYMENTS = "arn:aws:lambda:eu-west-1:111111111111:function:payments";
    /** The function whose observations the learning views show. */
    static final String LEARNING = "shipping";

    static final String LEARNING_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:shipping";

    @TempDir
    Path dataDirectory;

    LocalService service;
    ServiceClient client;
    String admin;
    Instant now;

    @BeforeEach
    void seed() throws IOException {
        requireBrowser();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            Instant scanned = Instant.parse("2026-03-01T12:00:00Z");
            store.findings()
                    .putFunction(new FunctionRecord(
                            PAYMENTS,
                            "111111111111",
                            "eu-west-1",
                            "payments",
                            "java21",
                            "sha-payments",
                            List.of(),
                            null,
                            0,
                            List.of(
                                    new Finding(
                                            PAYMENTS,
                                            FindingType.VULNERABILITY,
                                            "GHSA-jfh8-c2jp-5v3q",
                                            Severity.CRITICAL,
                                            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                                            "Log4Shell",
                                            "Upgrade"),
                                    new Finding(
                                            PAYMENTS,
                                            FindingType.POSTURE,
                                            "function-url-public",
                                            Severity.HIGH,
                                            "function URL",
                                            "public function URL",
                                            "Require IAM auth"),
                                    new Finding(
                                            PAYMENTS,
                                            FindingType.POSTURE,
                                            "runtime-deprecated",
                                            Severity.LOW,
                                            "runtime",
                                            "deprecated runtime",
                                            "Upgrade the runtime")),
                            scanned));
        }
        service = LocalService.start(
                dataDirectory,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new ScannerPackageScans(null));
        client = new ServiceClient(service.baseUrl());
        admin = service.adminToken();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** The browser and the driver must be there in CI; elsewhere their absence skips, loudly. */
    static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium; .ci/run installs it)");
        }
        if (!Files.isRegularFile(WEB.resolve("node_modules/playwright-core/package.json"))) {
            missing.add(WEB.resolve("node_modules/playwright-core") + " (npm ci in " + WEB + "; the build runs it)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the web view's browser tests need " + String.join(" and ", missing);
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        System.err.println("WARNING: SKIPPED: " + message);
        Assumptions.abort(message);
    }

    Violation event(String id, String function, long secondsAgo, Category category, Action action, String target) {
        return Violation.builder()
                .id(id)
                .function(function)
                .time(now.minusSeconds(secondsAgo))
                .category(category)
                .operation("op")
                .target(target)
                .action(action)
                .rule(category.jsonName() + ".allow (no match)")
                .requestId("req-" + id)
                .build();
    }

    void report(String token, String function, String mode, List<Violation> events) {
        List<String> lines = events.stream().map(ViolationJson::toJsonLine).toList();
        HttpResponse<String> response = client.postJson(
                "/v1/reports",
                token,
                "{\"function\":\"" + function + "\",\"agentVersion\":\"0.1.0\",\"mode\":\"" + mode + "\",\"events\":["
                        + String.join(",", lines) + "]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void everyViewShowsTheSeededDataInARealBrowser() throws Exception {
        String reporter = client.reporterToken(admin, "*");
        List<Violation> orders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            orders.add(event("o" + i, "orders", 3_600 + i, Category.NETWORK, Action.BLOCKED, "evil.example:443"));
        }
        orders.add(event("xss", "orders", 1_800, Category.PROCESS, Action.BLOCKED, XSS).toBuilder()
                .rule(XSS)
                .requestId(XSS)
                .build());
        for (int i = 0; i < 4; i++) {
            orders.add(event("f" + i, "orders", 3 * 3_600 + i, Category.FILE, Action.ALERTED, "/etc/passwd"));
        }
        orders.add(event("old", "orders", 3 * 86_400, Category.NETWORK, Action.BLOCKED, "old.example:443"));
        report(reporter, "orders", "block", orders);
        List<Violation> billing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            billing.add(event("d" + i, "billing", 2 * 3_600 + i, Category.DNS, Action.ALERTED, "billing.example"));
        }
        billing.add(event("p0", "billing", 5 * 3_600, Category.NETWORK, Action.BLOCKED, "pay.example:443"));
        billing.add(event("p1", "billing", 5 * 3_600 + 1, Category.NETWORK, Action.BLOCKED, "pay.example:443"));
        report(reporter, "billing", "alert", billing);
        assertThat(client.putJson("/v1/policies/orders", admin, ApiTest.POLICY).statusCode())
                .isEqualTo(200);
        HttpResponse<String> scan = client.send(ServiceClient.authorized(
                client.request("/v1/scans?function=billing")
                        .header("Content-Type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(packageWithAKey())),
                admin));
        assertThat(scan.statusCode()).as(scan.body()).isEqualTo(201);

        ObjectNode expected = ApiJson.MAPPER.createObjectNode();
        expected.set("learning", learn(reporter));
        expected.putObject("totals").put("blocked", 63).put("alerted", 9);
        expected.putArray("series")
                .add("network blocked")
                .add("dns alerted")
                .add("file alerted")
                .add("process blocked");
        expected.putArray("topFunctions").add("orders").add("billing");
        expected.putArray("topTargets")
                .add("evil.example:443")
                .add("pay.example:443")
                .add(XSS);
        expected.put("blockedInRange", 63).put("allViolations", orders.size() + billing.size());
        expected.put("xss", XSS).put("xssRequestId", XSS);
        expected.putObject("filter")
                .put("function", "billing")
                .put("rows", billing.size())
                .put("category", "network")
                .put("categoryRows", 2);
        expected.putObject("protection")
                .put("orders", "protected")
                .put("billing", "partial")
                .put("payments", "unprotected");
        expected.putObject("policy")
                .put("function", "orders")
                .put("contains", "127.0.0.1:9797")
                .put("none", "billing");
        expected.putObject("scan").put("function", "billing");
        expected.putObject("findings").put("aws", 3).put("awsCritical", 1).put("packageRule", "aws-access-key-id");

        ObjectNode e2e = ApiJson.MAPPER.createObjectNode();
        e2e.put("url", service.baseUrl())
                .put("loginUrl", service.newLoginUrl())
                .put("reporterToken", reporter)
                .put("chromium", CHROMIUM.toString())
                .put("screenshots", SCREENSHOTS.toAbsolutePath().toString())
                .set("expected", expected);
        runBrowserTest(e2e);
    }

    /**
     * The function {@value #LEARNING} as its agent would show it: a stored policy, observation lines (its AWS SDK calls,
     * a host and a caller that are the XSS payload) posted through {@code POST /v1/observations}, and its execution role
     * in the AWS scan's inventory; returns what its Policy view must show, the counts read from the API's own answers.
     */
    ObjectNode learn(String reporter) throws IOException {
        assertThat(client.putJson("/v1/policies/" + LEARNING, admin, """
                        {"version": 1, "mode": "alert", "network": {"allow": ["legacy.example.com:443"]},
                         "files": {"read": ["/tmp/**"]}}""").statusCode())
                .isEqualTo(200);
        List<String> lines = new ArrayList<>();
        for (String line : IamPolicySuggestionTest.LINES) {
            lines.add(line.replace("\"function\":\"orders\"", "\"function\":\"" + LEARNING + "\""));
        }
        ObjectNode line = ApiJson.MAPPER.createObjectNode();
        line.put("warden", "observation")
                .put("version", 1)
                .put("id", "shipping-3")
                .put("function", LEARNING);
        line.put("functionVersion", "2").put("requestId", "r3").put("time", "2026-12-03T12:00:00Z");
        line.put("mode", "alert").put("dropped", 0);
        ArrayNode items = line.putArray("items");
        items.addObject()
                .put("kind", "network")
                .put("operation", "connect")
                .put("host", "db.internal")
                .put("address", "10.0.0.5")
                .put("port", 5432)
                .put("count", 3)
                .put("caller", XSS);
        items.addObject()
                .put("kind", "network")
                .put("operation", "connect")
                .put("host", XSS)
                .put("address", "10.0.0.6")
                .put("port", 443)
                .put("count", 1);
        items.addObject()
                .put("kind", "network")
                .put("operation", "connect")
                .put("host", "dynamodb.eu-west-1.amazonaws.com")
                .put("address", "52.94.1.1")
                .put("port", 443)
                .put("count", 8)
                .put("caller", "software.amazon.awssdk.http.apache.ApacheHttpClient.execute");
        items.addObject()
                .put("kind", "file")
                .put("operation", "write")
                .put("path", "/tmp/**")
                .put("count", 12)
                .put("caller", "com.acme.Ship.spool");
        lines.add(ApiJson.MAPPER.writeValueAsString(line));
        for (String l : lines) {
            HttpResponse<String> posted = client.postJson("/v1/observations", reporter, l);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        }
        // billing: observed long and busily enough to be ready to tighten.
        Instant from = Instant.parse("2026-11-20T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            ObjectNode billing = ApiJson.MAPPER.createObjectNode();
            billing.put("warden", "observation").put("version", 1).put("id", "billing-" + i);
            billing.put("function", "billing").put("functionVersion", "5").put("mode", "alert");
            billing.put("time", from.plusSeconds(i * 8 * 86_400L / 99).toString())
                    .put("dropped", 0);
            billing.putArray("items")
                    .addObject()
                    .put("kind", "dns")
                    .put("name", "billing.example")
                    .put("count", 1);
            HttpResponse<String> posted =
                    client.postJson("/v1/observations", reporter, ApiJson.MAPPER.writeValueAsString(billing));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        }
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.findings()
                    .putFunction(new FunctionRecord(
                            LEARNING_ARN,
                            "123456789012",
                            "eu-west-1",
                            LEARNING,
                            "java21",
                            "sha-shipping",
                            List.of("arn:aws:lambda:eu-west-1:123456789012:layer:warden:7"),
                            null,
                            7,
                            List.of(),
                            Instant.parse("2026-12-04T00:00:00Z"),
                            SuggestedIamPolicyApiTest.role(LEARNING)));
        }

        JsonNode iam = ServiceClient.json(client.get("/v1/functions/" + LEARNING + "/suggested-iam-policy", admin)
                .body());
        JsonNode comparison = iam.get("role");
        assertThat(comparison.get("unused"))
                .extracting(u -> u.get("action").asText())
                .containsExactly("sqs:PurgeQueue");
        assertThat(comparison.get("wildcards"))
                .extracting(w -> w.get("action").asText())
                .containsExactly("dynamodb:*");
        assertThat(comparison.get("missing"))
                .extracting(m -> m.get("action").asText())
                .contains("s3:GetObject");
        JsonNode policy = ServiceClient.json(client.get("/v1/functions/" + LEARNING + "/suggested-policy", admin)
                .body());
        ObjectNode expected = ApiJson.MAPPER.createObjectNode();
        expected.put("function", LEARNING);
        expected.putObject("added")
                .put("list", "/network/allow")
                .put("entry", "db.internal:5432")
                .put("count", "3")
                .put("caller", XSS);
        expected.putObject("removed").put("list", "/network/allow").put("entry", "legacy.example.com:443");
        // The AWS endpoint the agent saw the function connect to: its evidence names the SDK calls it is the endpoint
        // of, DynamoDB GetItem (8 calls) the most frequent.
        expected.putObject("endpoint")
                .put("entry", "dynamodb.eu-west-1.amazonaws.com:443")
                .put("summary", "connect · observations · endpoint of dynamodb GetItem");
        expected.putObject("counts")
                .put("added", policy.get("added").size())
                .put("removed", policy.get("removed").size())
                .put("kept", policy.get("kept").size())
                .put("rejected", policy.get("rejected").size());
        expected.set("warnings", policy.get("observed").get("warnings"));
        expected.putArray("versions").add("1").add("2");
        expected.putObject("iam")
                .put("statements", iam.get("policy").get("Statement").size())
                .put("unused", 1)
                .put("unusedAction", "sqs:PurgeQueue")
                .put("wildcards", 1)
                .put("wildcardAction", "dynamodb:*")
                .put("missing", comparison.get("missing").size())
                .put("missingAction", "s3:GetObject")
                .put("role", "arn:aws:iam::123456789012:role/shipping-role")
                .put("sam", iam.get("sam").asText())
                .set("policy", iam.get("policy"));
        JsonNode learning = ServiceClient.json(client.get("/v1/learning", admin).body());
        for (JsonNode function : learning.get("functions")) {
            if (function.get("function").asText().equals(LEARNING)) {
                expected.set("summary", function);
            }
        }
        JsonNode billing = ServiceClient.json(
                client.get("/v1/functions/billing/suggested-policy", admin).body());
        expected.putObject("ready")
                .put("function", "billing")
                .put("added", billing.get("added").size())
                .put("removed", billing.get("removed").size());
        expected.put("apply", "warden policy apply " + LEARNING);
        expected.put("applyVersion", "warden policy apply " + LEARNING + " --version 2");
        return expected;
    }

    /** A function package whose configuration holds an AWS access key id: the package scanner's secret finding. */
    static byte[] packageWithAKey() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("application.properties"));
            zip.write(("aws.accessKeyId=AKIA" + "QYLPMN5HXTVW2ZKD\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Runs the browser test to its end (bounded), its output in {@code target/web-screenshots/browser-test.log}. */
    static void runBrowserTest(ObjectNode e2e) throws IOException, InterruptedException {
        Files.createDirectories(SCREENSHOTS);
        Path log = SCREENSHOTS.resolve("browser-test.log");
        ProcessBuilder node = new ProcessBuilder(
                        "node", "--test-reporter=spec", "--test-timeout=480000", "--test", "test/browser-test.mjs")
                .directory(WEB.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        node.environment().put("WARDEN_E2E", ApiJson.MAPPER.writeValueAsString(e2e));
        Process process = node.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(ended)
                .as("the browser test ended within 10 minutes:%n%s", output)
                .isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
