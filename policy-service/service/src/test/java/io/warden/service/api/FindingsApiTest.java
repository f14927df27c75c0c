package io.warden.service.api;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.scanner.Severity;
import io.warden.service.LocalService;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/findings} and the scanned functions of {@code GET /v1/functions} over real HTTP, served by
 * {@code warden serve}'s service from a data directory an AWS scan wrote into beforehand.
 */
class FindingsApiTest {

    static final Instant SCANNED = Instant.parse("2026-03-01T12:00:00Z");
    static final String ORDERS_EU = "arn:aws:lambda:eu-west-1:111111111111:function:orders";
    static final String ORDERS_US = "arn:aws:lambda:us-east-1:222222222222:function:orders";
    static final String BILLING = "arn:aws:lambda:eu-west-1:111111111111:function:billing";
    static final String LAYER = "arn:aws:lambda:eu-west-1:111111111111:layer:libs:3";

    @TempDir
    Path dataDirectory;

    LocalService service;
    ServiceClient client;
    String admin;

    static Finding finding(String resource, FindingType type, String rule, Severity severity) {
        return new Finding(
                resource, type, rule, severity, "subject of " + rule, "title of " + rule, "remediation of " + rule);
    }

    static FunctionRecord function(String arn, List<String> layers, Finding... findings) {
        String[] parts = arn.split(":");
        return new FunctionRecord(
                arn,
                parts[4],
                parts[3],
                parts[6],
                "java21",
                "sha-" + parts[6],
                layers,
                null,
                0,
                List.of(findings),
                SCANNED);
    }

    @BeforeEach
    void scanThenServe() throws IOException {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            FindingStore findings = store.findings();
            findings.putFunction(function(
                    ORDERS_EU,
                    List.of(LAYER),
                    finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH),
                    finding(ORDERS_EU, FindingType.SECRET, "aws-access-key-pair", Severity.CRITICAL)));
            findings.putFunction(function(
                    ORDERS_US,
                    List.of(),
                    finding(ORDERS_US, FindingType.POSTURE, "warden-alert-mode", Severity.MEDIUM)));
            findings.putFunction(function(
                    BILLING, List.of(), finding(BILLING, FindingType.POSTURE, "runtime-deprecated", Severity.HIGH)));
            findings.putLayer(new LayerRecord(
                    LAYER,
                    "sha-libs",
                    List.of(
                            finding(LAYER, FindingType.VULNERABILITY, "GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL),
                            finding(LAYER, FindingType.VULNERABILITY, "GHSA-low", Severity.LOW)),
                    SCANNED));
        }
        service = LocalService.start(dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
        admin = service.adminToken();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    JsonNode findings(String query) {
        HttpResponse<String> response = client.get("/v1/findings" + query, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    static List<String> rules(JsonNode page) {
        List<String> rules = new ArrayList<>();
        page.get("findings").forEach(f -> rules.add(f.get("rule").asText()));
        return rules;
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void everyFindingIsListedMostSevereFirstThenByResourceWithAllItsFields() {
        JsonNode all = findings("");

        assertThat(rules(all))
                .containsExactly(
                        "aws-access-key-pair",
                        "GHSA-jfh8-c2jp-5v3q",
                        "runtime-deprecated",
                        "function-url-public",
                        "warden-alert-mode",
                        "GHSA-low");
        assertThat(all.get("nextCursor").isNull()).isTrue();
        assertThat(all.get("findings").get(1)).isEqualTo(json("""
                {"resource": "%s", "resourceType": "layer", "type": "vulnerability", "rule": "GHSA-jfh8-c2jp-5v3q",
                 "severity": "critical", "subject": "subject of GHSA-jfh8-c2jp-5v3q",
                 "title": "title of GHSA-jfh8-c2jp-5v3q", "remediation": "remediation of GHSA-jfh8-c2jp-5v3q"}""".formatted(LAYER)));
        assertThat(all.get("findings").get(0).get("resourceType").asText()).isEqualTo("function");
    }

    @Test
    void pagesFollowTheCursorToTheEndWithoutGapsOrRepeats() {
        List<String> paged = new ArrayList<>();
        JsonNode page = findings("?limit=4");
        assertThat(page.get("findings")).hasSize(4);
        paged.addAll(rules(page));
        page = findings("?limit=4&cursor=" + page.get("nextCursor").asText());
        paged.addAll(rules(page));

        assertThat(page.get("nextCursor").isNull()).isTrue();
        assertThat(paged).isEqualTo(rules(findings("")));
        assertThat(rules(findings("?limit=6"))).hasSize(6);
        assertThat(findings("?limit=6").get("nextCursor").isNull())
                .as("exactly one page")
                .isTrue();
    }

    @Test
    void aFunctionsNameOrArnFindsItsFindingsAndThoseOfItsLayers() {
        assertThat(rules(findings("?function=orders")))
                .containsExactly(
                        "aws-access-key-pair",
                        "GHSA-jfh8-c2jp-5v3q",
                        "function-url-public",
                        "warden-alert-mode",
                        "GHSA-low");
        assertThat(rules(findings("?function=" + encoded(ORDERS_US)))).containsExactly("warden-alert-mode");
        assertThat(rules(findings("?function=nobody"))).isEmpty();
    }

    @Test
    void severityIsAMinimumAndTypeExactAndTheyCombine() {
        assertThat(rules(findings("?severity=high")))
                .containsExactly(
                        "aws-access-key-pair", "GHSA-jfh8-c2jp-5v3q", "runtime-deprecated", "function-url-public");
        assertThat(rules(findings("?type=posture")))
                .containsExactly("runtime-deprecated", "function-url-public", "warden-alert-mode");
        assertThat(rules(findings("?function=orders&severity=CRITICAL&type=vulnerability")))
                .containsExactly("GHSA-jfh8-c2jp-5v3q");
    }

    @Test
    void badQueriesAreRefusedNamingTheValue() {
        assertThat(ApiTest.error(client.get("/v1/findings?severity=severe", admin), 400))
                .isEqualTo("\"severity\" \"severe\" is not one of unknown, low, medium, high, critical");
        assertThat(ApiTest.error(client.get("/v1/findings?type=bug", admin), 400))
                .isEqualTo("\"type\" \"bug\" is not one of vulnerability, secret, posture, unscannable");
        assertThat(ApiTest.error(client.get("/v1/findings?limit=0", admin), 400))
                .contains("\"limit\" \"0\"");
        assertThat(ApiTest.error(client.get("/v1/findings?limit=ten", admin), 400))
                .contains("\"limit\" \"ten\"");
        assertThat(ApiTest.error(client.get("/v1/findings?function=a%20b", admin), 400))
                .contains("\"function\" \"a b\" is neither a Lambda function name");
        assertThat(ApiTest.error(client.get("/v1/findings?function=" + encoded(LAYER), admin), 400))
                .contains("nor an unqualified function ARN");
        assertThat(ApiTest.error(client.get("/v1/findings?cursor=bm9wZQ", admin), 400))
                .contains("\"cursor\" \"bm9wZQ\" is not a cursor");
        assertThat(ApiTest.error(client.get("/v1/findings?account=1", admin), 400))
                .contains("unknown query parameter \"account\"");
    }

    @Test
    void onlyAdminsMayReadFindings() {
        String reporter = client.reporterToken(admin, "orders");

        assertThat(ApiTest.error(client.get("/v1/findings", reporter), 403)).contains("needs an admin");
        assertThat(client.get("/v1/findings", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theInventoryHasTheScannedFunctionsWithTheirFindingsBySeverity() {
        String reporter = client.reporterToken(admin, "orders");
        client.postJson(
                "/v1/reports",
                reporter,
                ApiTest.report("orders", ApiTest.event("a", "orders", "2024-05-01T12:00:00Z")));

        JsonNode functions = json(client.get("/v1/functions", admin).body()).get("functions");

        assertThat(functions).extracting(f -> f.get("function").asText()).containsExactly("billing", "orders");
        JsonNode billing = functions.get(0);
        assertThat(billing.get("agentVersion").isNull()).as("never reported").isTrue();
        assertThat(billing.get("violations")).isEqualTo(json("{\"blocked\":0,\"alerted\":0}"));
        assertThat(billing.get("deployed")).hasSize(1);
        assertThat(billing.at("/deployed/0/functionArn").asText()).isEqualTo(BILLING);
        assertThat(billing.at("/deployed/0/findings"))
                .isEqualTo(json("{\"critical\":0,\"high\":1,\"medium\":0,\"low\":0,\"unknown\":0}"));
        JsonNode orders = functions.get(1);
        assertThat(orders.get("agentVersion").asText()).isEqualTo("0.1.0");
        assertThat(orders.get("violations")).isEqualTo(json("{\"blocked\":1,\"alerted\":0}"));
        assertThat(orders.get("deployed"))
                .extracting(d -> d.get("functionArn").asText())
                .containsExactly(ORDERS_EU, ORDERS_US);
        assertThat(orders.at("/deployed/0/account").asText()).isEqualTo("111111111111");
        assertThat(orders.at("/deployed/0/layers/0").asText()).isEqualTo(LAYER);
        assertThat(orders.at("/deployed/0/scannedAt").asText()).isEqualTo(SCANNED.toString());
        assertThat(orders.at("/deployed/0/findings"))
                .as("its own and its layer's")
                .isEqualTo(json("{\"critical\":2,\"high\":1,\"medium\":0,\"low\":1,\"unknown\":0}"));
        assertThat(orders.at("/deployed/1/findings/medium").asInt()).isEqualTo(1);
    }
}
