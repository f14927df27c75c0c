package io.warden.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
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
