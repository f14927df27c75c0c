package io.warden.invoke;

import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.json;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.testFunction;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.invoke.testfunctions.BrokenInit;
import io.warden.invoke.testfunctions.Connect;
import io.warden.invoke.testfunctions.ReadsEnvironOnInit;
import io.warden.invoke.testfunctions.Throwing;
import io.warden.policy.MetricNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built layer attached to functions on the real Lambda runtime client: violations are blocked or alerted inside
 * the function and reported with the invocation they belong to, and metrics come out in Embedded Metric Format.
 */
class WardenLayerTest {

    private static ServerSocket allowed;
    private static ServerSocket denied;
    private static ServerSocket deniedToo;

    @BeforeAll
    static void listen() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        allowed = new ServerSocket(0, 50, loopback);
        denied = new ServerSocket(0, 50, loopback);
        deniedToo = new ServerSocket(0, 50, loopback);
    }

    @AfterAll
    static void close() throws IOException {
        allowed.close();
        denied.close();
        deniedToo.close();
    }

    private static String policy(String mode) {
        return "{\"version\":1,\"mode\":\"" + mode + "\",\"network\":{\"allow\":[\"127.0.0.1:" + allowed.getLocalPort()
                + "\"]}}";
    }

    private static FunctionSpec.Builder connect(String mode) {
        return withBuiltLayer(testFunction(Connect.class))
                .functionName("connector")
                .env("WARDEN_POLICY", policy(mode));
    }

    @Test
    void aBlockedCallFailsInsideTheFunctionAndIsReportedWithItsInvocation() {
        InvokeRun run = invoke(connect("block").build(), event(allowed.getLocalPort()), event(denied.getLocalPort()));

        assertThat(json(run.results().get(0).payloadText()).get("outcome").asText())
                .isEqualTo("connected");
        InvocationResult blockedCall = run.results().get(1);
        assertThat(json(blockedCall.payloadText()).get("outcome").asText())
                .startsWith("java.net.ConnectException: Blocked by Warden: network connect 127.0.0.1:"
                        + denied.getLocalPort());
        assertThat(violations(run)).singleElement().satisfies(violation -> {
            assertThat(violation.get("action").asText()).isEqualTo("blocked");
            assertThat(violation.get("category").asText()).isEqualTo("network");
            assertThat(violation.get("target").asText()).isEqualTo("127.0.0.1:" + denied.getLocalPort());
            assertThat(violation.get("function").asText()).isEqualTo("connector");
            assertThat(violation.get("requestId").asText()).isEqualTo(blockedCall.requestId());
            assertThat(violation.get("functionVersion").asText()).isEqualTo("$LATEST");
            assertThat(violation.get("coldStart").asBoolean()).isFalse();
            assertThat(violation.get("phase").asText()).isEqualTo("invoke");
            assertThat(violation.get("caller").asText()).startsWith(Connect.class.getName() + ".connect(");
        });
    }

    @Test
    void alertModeLetsTheCallThroughAndReportsIt() {
        InvokeRun run = invoke(connect("alert").build(), event(denied.getLocalPort()));

        assertThat(json(run.results().get(0).payloadText()).get("outcome").asText())
                .isEqualTo("connected");
        assertThat(violations(run)).singleElement().satisfies(violation -> {
            assertThat(violation.get("action").asText()).isEqualTo("alerted");
            assertThat(violation.get("requestId").asText())
                    .isEqualTo(run.results().get(0).requestId());
            assertThat(violation.get("coldStart").asBoolean()).isTrue();
        });
    }

    @Test
    void aViolationWhileTheFunctionInitialisesIsReportedWithPhaseInit() {
        InvokeRun run = invoke(
                withBuiltLayer(testFunction(ReadsEnvironOnInit.class))
                        .env("WARDEN_POLICY", policy("block"))
                        .build(),
                "{}");

        assertThat(json(run.results().get(0).payloadText()).asText())
                .startsWith("java.nio.file.AccessDeniedException: Blocked by Warden: file read /proc/self/environ");
        assertThat(violations(run)).singleElement().satisfies(violation -> {
            assertThat(violation.get("phase").asText()).isEqualTo("init");
            assertThat(violation.has("requestId")).isFalse();
            assertThat(violation.get("target").asText()).isEqualTo("/proc/self/environ");
        });
        assertThat(metrics(run))
                .singleElement()
                .satisfies(record -> assertThat(record.get("Category").asText()).isEqualTo("file"));
    }

    @Test
    void concurrentRuntimeLoopsAttributeEachViolationToItsOwnInvocation() {
        InvokeRun run = invoke(
                connect("block").maxConcurrency(2).build(),
                "{\"together\":2,\"port\":" + denied.getLocalPort() + "}",
                "{\"together\":2,\"port\":" + deniedToo.getLocalPort() + "}");

        assertThat(run.results())
                .hasSize(2)
                .allSatisfy(result -> assertThat(
                                json(result.payloadText()).get("met").asBoolean())
                        .isTrue());
        List<JsonNode> violations = violations(run);
        assertThat(violations).hasSize(2);
        for (InvocationResult result : run.results()) {
            String outcome = json(result.payloadText()).get("outcome").asText();
            String port = outcome.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1");
            assertThat(violations)
                    .filteredOn(violation -> violation.get("requestId").asText().equals(result.requestId()))
                    .singleElement()
                    .satisfies(violation ->
                            assertThat(violation.get("target").asText()).isEqualTo("127.0.0.1:" + port));
        }
    }

    /**
     * A thread of the function's own while two invocations run belongs to neither: its violations carry no request id,
     * and still count in the metrics, which the Blocked alarm watches, so a function cannot keep its attempts out of
     * them by making them there (or while no invocation runs).
     */
    @Test
    void violationsThatNoInvocationOwnsStillCountInTheMetrics() {
        InvokeRun run = invoke(
                connect("block").maxConcurrency(2).build(),
                "{\"together\":2,\"fromThread\":true,\"port\":" + denied.getLocalPort() + "}",
                "{\"together\":2,\"fromThread\":true,\"port\":" + deniedToo.getLocalPort() + "}");

        assertThat(run.results())
                .hasSize(2)
                .allSatisfy(result -> assertThat(
                                json(result.payloadText()).get("outcome").asText())
                        .startsWith("java.net.ConnectException: Blocked by Warden"));
        assertThat(violations(run))
                .hasSize(2)
                .allSatisfy(violation -> assertThat(violation.has("requestId")).isFalse());
        assertThat(metrics(run).stream()
                        .mapToInt(record -> record.get(MetricNames.BLOCKED).asInt())
                        .sum())
                .as("blocked violations counted in the metrics")
                .isEqualTo(2);
    }

    @Test
    void violationLinesStayOneJsonObjectUnderBothLogFormats() {
        for (LogFormat format : LogFormat.values()) {
            InvokeRun run = invoke(connect("block").logFormat(format).build(), event(denied.getLocalPort()));

            assertThat(violations(run)).as(format.name()).singleElement().satisfies(violation -> {
                assertThat(violation.get("warden").asText()).isEqualTo("violation");
                assertThat(violation.get("requestId").asText())
                        .isEqualTo(run.results().get(0).requestId());
            });
            assertThat(metrics(run)).as(format.name()).hasSize(1);
        }
    }

    @Test
    void eachInvocationWithViolationsWritesOneAggregatedMetricsRecord() {
        InvokeRun run = invoke(
                connect("block").build(),
                event(denied.getLocalPort()),
                event(allowed.getLocalPort()),
                event(denied.getLocalPort()));

        List<JsonNode> records = metrics(run);
        assertThat(records).hasSize(2);
        for (JsonNode record : records) {
            JsonNode directive = record.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
            assertThat(directive.get("Dimensions").toString())
                    .isEqualTo("[[\"" + MetricNames.FUNCTION_NAME + "\"],[\"" + MetricNames.FUNCTION_NAME + "\",\""
                            + MetricNames.CATEGORY + "\"]]");
            assertThat(directive.get("Metrics").toString())
                    .isEqualTo("[{\"Name\":\"Blocked\",\"Unit\":\"Count\"},"
                            + "{\"Name\":\"Alerted\",\"Unit\":\"Count\"}]");
            assertThat(record.get("_aws").get("Timestamp").asLong()).isPositive();
            assertThat(record.get(MetricNames.FUNCTION_NAME).asText()).isEqualTo("connector");
            assertThat(record.get(MetricNames.CATEGORY).asText()).isEqualTo("network");
            assertThat(record.get(MetricNames.BLOCKED).asInt()).isEqualTo(1);
            assertThat(record.get(MetricNames.ALERTED).asInt()).isZero();
            assertThat(record.has("requestId"))
                    .as("no high-cardinality dimension or field")
                    .isFalse();
        }
    }

    @Test
    void underSnapStartProtectionHoldsAcrossCheckpointAndRestoreAndTheRestoredCopyStartsCold() {
        InvokeRun run = invoke(
                connect("block").snapStart(true).build(), event(denied.getLocalPort()), event(denied.getLocalPort()));

        assertThat(run.results())
                .allSatisfy(result -> assertThat(
                                json(result.payloadText()).get("outcome").asText())
                        .startsWith("java.net.ConnectException: Blocked by Warden"));
        assertThat(jsonLogLines(run))
                .anySatisfy(line -> assertThat(line.path("state").asText()).isEqualTo("restored"));
        List<JsonNode> violations = violations(run);
        assertThat(violations).hasSize(2);
        assertThat(violations.get(0).get("coldStart").asBoolean())
                .as("first invocation after the restore")
                .isTrue();
        assertThat(violations.get(1).get("coldStart").asBoolean()).isFalse();
        assertThat(violations.get(0).get("id").asText())
                .isNotEqualTo(violations.get(1).get("id").asText());
    }

    @Test
    void handlerExceptionsStillReachTheErrorEndpointThroughTheWrappedHandler() {
        InvokeRun run = invoke(
                withBuiltLayer(testFunction(Throwing.class))
                        .env("WARDEN_POLICY", policy("block"))
                        .build(),
                "{\"reason\":\"no\"}");

        assertThat(run.results().get(0).status()).isEqualTo(InvocationResult.Status.ERROR);
        assertThat(json(run.results().get(0).payloadText()).get("errorMessage").asText())
                .isEqualTo("refused: no");
    }

    @Test
    void initFailuresStillReachTheInitErrorEndpointWithTheLayerAttached() {
        InvokeRun run = invoke(
                withBuiltLayer(testFunction(BrokenInit.class))
                        .env("WARDEN_POLICY", policy("block"))
                        .build(),
                "{}");

        assertThat(run.results().get(0).status()).isEqualTo(InvocationResult.Status.INIT_ERROR);
        assertThat(json(run.results().get(0).payloadText()).get("errorMessage").asText())
                .isEqualTo("Error loading class " + BrokenInit.class.getName());
    }

    private static String event(int port) {
        return "{\"port\":" + port + "}";
    }

    private static List<JsonNode> violations(InvokeRun run) {
        List<JsonNode> violations = new ArrayList<>();
        for (JsonNode line : jsonLogLines(run)) {
            if ("violation".equals(line.path("warden").asText())) {
                violations.add(line);
            }
        }
        return violations;
    }

    private static List<JsonNode> metrics(InvokeRun run) {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode line : jsonLogLines(run)) {
            if (line.has("_aws")) {
                records.add(line);
            }
        }
        return records;
    }
}
