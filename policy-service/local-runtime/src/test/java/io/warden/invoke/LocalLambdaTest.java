package io.warden.invoke;

import static io.warden.invoke.LambdaFixtures.egressDemo;
import static io.warden.invoke.LambdaFixtures.egressDemoEvent;
import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.json;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.testFunction;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.invoke.testfunctions.BrokenInit;
import io.warden.invoke.testfunctions.EnvironmentProbe;
import io.warden.invoke.testfunctions.Logging;
import io.warden.invoke.testfunctions.Rendezvous;
import io.warden.invoke.testfunctions.Sleeping;
import io.warden.invoke.testfunctions.Throwing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Functions run on the real Lambda runtime client in a forked JVM, against the local Runtime API. */
class LocalLambdaTest {

    private static final Pattern COLD_REPORT = Pattern.compile(
            "REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d\\d ms"
                    + "\tBilled Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB\tInit Duration: \\d+\\.\\d\\d ms");
    private static final Pattern WARM_REPORT =
            Pattern.compile("REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d\\d ms"
                    + "\tBilled Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB");

    @Test
    void exampleRunsOnTheRealRuntimeClientAndWithoutWardenEverythingGoesThrough() throws Exception {
        List<String> allowed = new ArrayList<>();
        List<String> exfiltrated = new ArrayList<>();
        try (UpstreamEcho api = UpstreamEcho.start(0, allowed::add);
                UpstreamEcho attacker = UpstreamEcho.start(0, exfiltrated::add)) {
            InvokeRun run = invoke(
                    egressDemo().build(),
                    egressDemoEvent(
                            "http://127.0.0.1:" + api.port() + "/orders/42",
                            "http://127.0.0.1:" + attacker.port() + "/collect"));

            assertThat(run.results()).singleElement().satisfies(result -> {
                assertThat(result.status()).isEqualTo(InvocationResult.Status.SUCCESS);
                JsonNode outcome = json(result.payloadText());
                assertThat(outcome.get("allowedCall").asText())
                        .startsWith("ok: HTTP 200 ")
                        .contains("/orders/42");
                assertThat(outcome.get("exfiltration").asText())
                        .startsWith("ok: HTTP 200 ")
                        .contains("/collect");
                assertThat(outcome.get("readProcSelfEnviron").asText()).matches("ok: read \\d+ bytes");
                assertThat(outcome.get("writeTmp").asText()).startsWith("ok: wrote and deleted /tmp/egress-demo-");
                assertThat(outcome.get("startProcess").asText()).startsWith("ok: sh -c id printed uid=");
            });
            assertThat(allowed).containsExactly("GET /orders/42 (0 bytes)");
            assertThat(exfiltrated).singleElement().asString().startsWith("POST /collect (");
            String requestId = run.results().get(0).requestId();
            assertThat(run.log())
                    .contains(
                            "START RequestId: " + requestId + " Version: $LATEST",
                            "egress-demo exfiltration -> "
                                    + json(run.results().get(0).payloadText())
                                            .get("exfiltration")
                                            .asText(),
                            "END RequestId: " + requestId);
            assertThat(run.log()).anySatisfy(line -> assertThat(line).matches(COLD_REPORT));
            assertThat(run.initDuration()).isPositive();
        }
    }

    @Test
    void aSampledTraceHeaderReachesTheFunctionWhenAsked() {
        InvokeRun run =
                invoke(testFunction(EnvironmentProbe.class).traceSampled(true).build(), "{\"n\":1}", "{\"n\":2}");

        assertThat(run.results())
                .hasSize(2)
                .allSatisfy(result -> assertThat(
                                json(result.payloadText()).get("traceHeader").asText())
                        .matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1"));
        assertThat(json(run.results().get(0).payloadText()).get("traceHeader").asText())
                .as("a trace of its own per invocation")
                .isNotEqualTo(json(run.results().get(1).payloadText())
                        .get("traceHeader")
                        .asText());
    }

    @Test
    void functionSeesLambdasEnvironmentAndOnlyTheRuntimeClientOnItsClassPath() {
        FunctionSpec function = testFunction(EnvironmentProbe.class)
                .functionName("probe")
                .memoryMb(256)
                .env("GREETING", "hello world")
                .build();
        InvokeRun run = invoke(function, "{\"n\":1}");

        JsonNode seen = json(run.results().get(0).payloadText());
        JsonNode env = seen.get("env");
        Path taskRoot = Path.of(env.get("LAMBDA_TASK_ROOT").asText());
        assertThat(seen.get("cwd").asText()).isEqualTo(taskRoot.toString());
        assertThat(taskRoot.resolve("lib"))
                .as("unpacked task root, removed after the run")
                .doesNotExist();
        assertThat(env.get("_HANDLER").asText()).isEqualTo(EnvironmentProbe.class.getName());
        assertThat(env.get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("probe");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.get("AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/probe");
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME").asText())
                .matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}");
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(env.get("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("on-demand");
        assertThat(env.get("AWS_LAMBDA_LOG_FORMAT").asText()).isEqualTo("Text");
        assertThat(env.get("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.get("AWS_EXECUTION_ENV").asText())
                .isEqualTo("AWS_Lambda_java" + Runtime.version().feature());
        assertThat(env.get("TZ").asText()).isEqualTo(":UTC");
        assertThat(env.get("GREETING").asText()).isEqualTo("hello world");
        assertThat(env.get("AWS_XRAY_DAEMON_ADDRESS").asText())
                .as("loopback, never Lambda's link-local daemon")
                .isEqualTo("127.0.0.1:2000");
        assertThat(seen.get("traceHeader").asText())
                .matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        assertThat(env.has("AWS_LAMBDA_MAX_CONCURRENCY")).isFalse();
        assertThat(env.has("AWS_LAMBDA_EXEC_WRAPPER")).as("no layer attached").isFalse();
        assertThat(env.has("HOME"))
                .as("the caller's environment does not leak in")
                .isFalse();

        Path runtimeDir = RuntimeClient.installedDirectory();
        assertThat(seen.get("classPath").asText().split(":"))
                .allSatisfy(entry -> assertThat(Path.of(entry)).startsWith(runtimeDir.resolve("lib")))
                .anySatisfy(entry -> assertThat(entry).contains("aws-lambda-java-runtime-interface-client"));
        assertThat(Path.of(seen.get("jniLibrary").asText()))
                .startsWith(runtimeDir.resolve("lib/jni"))
                .isRegularFile();
        assertThat(seen.get("maxHeapBytes").asLong()).isLessThanOrEqualTo(256L * 1024 * 1024);
        assertThat(seen.get("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:probe");
        assertThat(seen.get("memoryLimitMb").asInt()).isEqualTo(256);
        assertThat(seen.get("remainingMillis").asLong()).isBetween(1L, FunctionSpec.DEFAULT_TIMEOUT.toMillis());
        assertThat(seen.get("requestId").asText())
                .isEqualTo(run.results().get(0).requestId());
        assertThat(seen.get("event").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void layerIsAttachedThroughTheExecWrapperKeepingTheFunctionsJavaToolOptions() {
        FunctionSpec function = withBuiltLayer(testFunction(EnvironmentProbe.class))
                .env("JAVA_TOOL_OPTIONS", "-Dfunction.option=kept")
                .build();
        InvokeRun run = invoke(function, "{}");

        JsonNode env = json(run.results().get(0).payloadText()).get("env");
        Path wrapper = Path.of(env.get("AWS_LAMBDA_EXEC_WRAPPER").asText());
        assertThat(wrapper.getFileName()).hasToString("warden-wrapper");
        // The wrapper's options that keep other agents out (docs/threat-model.md, "Deployment settings") come first.
        String agentsOut = " -XX:+DisableAttachMechanism"
                + (Runtime.version().feature() >= 21 ? " -XX:-EnableDynamicAgentLoading" : "");
        assertThat(env.get("JAVA_TOOL_OPTIONS").asText())
                .isEqualTo("-javaagent:" + wrapper.resolveSibling("warden/warden-agent.jar") + agentsOut
                        + " -Dfunction.option=kept");
        assertThat(run.log())
                .contains("Picked up JAVA_TOOL_OPTIONS: "
                        + env.get("JAVA_TOOL_OPTIONS").asText());
    }

    @Test
    void handlerExceptionIsPostedToTheErrorRouteAndTheRuntimeStaysWarm() {
        InvokeRun run =
                invoke(testFunction(Throwing.class).build(), "{\"reason\":\"first\"}", "{\"reason\":\"second\"}");

        assertThat(run.results()).hasSize(2).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(InvocationResult.Status.ERROR);
            assertThat(result.errorType()).isEqualTo("Runtime.UserException");
        });
        assertThat(json(run.results().get(0).payloadText()).get("errorMessage").asText())
                .isEqualTo("refused: first");
        assertThat(json(run.results().get(1).payloadText()).get("errorMessage").asText())
                .isEqualTo("refused: second");
        assertThat(json(run.results().get(1).payloadText()).get("errorType").asText())
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(run.log().stream().filter(line -> line.startsWith("REPORT")))
                .satisfiesExactly(
                        cold -> assertThat(cold).matches(COLD_REPORT),
                        warm -> assertThat(warm).matches(WARM_REPORT));
    }

    @Test
    void staticInitializerFailureIsPostedToInitError() {
        InvokeRun run = invoke(testFunction(BrokenInit.class).build(), "{}");

        InvocationResult result = run.results().get(0);
        assertThat(result.status()).isEqualTo(InvocationResult.Status.INIT_ERROR);
        assertThat(result.errorType()).isEqualTo("Runtime.BadFunctionCode");
        JsonNode error = json(result.payloadText());
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.ExceptionInInitializerError");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Error loading class " + BrokenInit.class.getName());
        List<String> log = run.log();
        int cause = indexOfFirst(
                log, "Caused by: java.lang.IllegalStateException: cannot initialise: configuration missing");
        int report = indexOfFirst(log, "REPORT RequestId: " + result.requestId());
        assertThat(cause)
                .as("the runtime's account of the failure, before the platform's lines")
                .isNotNegative()
                .isLessThan(indexOfFirst(log, "START RequestId: " + result.requestId()));
        assertThat(log.get(report)).endsWith("\tStatus: error\tError Type: Runtime.BadFunctionCode");
    }

    @Test
    void missingHandlerClassFailsTheInvocationAsTheRuntimeClientReportsIt() {
        InvokeRun run = invoke(
                FunctionSpec.builder(LambdaFixtures.testFunctionsZip(), "com.example.Missing::handle")
                        .build(),
                "{}");

        InvocationResult result = run.results().get(0);
        assertThat(result.status()).isEqualTo(InvocationResult.Status.ERROR);
        JsonNode error = json(result.payloadText());
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Class not found: com.example.Missing");
    }

    @Test
    void twoConcurrentRuntimeLoopsEachAnswerTheirOwnInvocation() {
        InvokeRun run = invoke(testFunction(Rendezvous.class).maxConcurrency(2).build(), "{}", "{}");

        assertThat(run.results())
                .allSatisfy(result -> assertThat(result.status()).isEqualTo(InvocationResult.Status.SUCCESS));
        List<JsonNode> answers =
                run.results().stream().map(result -> json(result.payloadText())).toList();
        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer.get("met").asBoolean())
                        .as("ran at the same time")
                        .isTrue());
        assertThat(answers.get(0).get("requestId").asText())
                .isEqualTo(run.results().get(0).requestId());
        assertThat(answers.get(1).get("requestId").asText())
                .isEqualTo(run.results().get(1).requestId());
        assertThat(answers.get(0).get("thread").asText())
                .isNotEqualTo(answers.get(1).get("thread").asText());
    }

    @Test
    void textLogFormatKeepsEachLoggerMessageOneEventBetweenStartAndEnd() {
        InvokeRun run = invoke(testFunction(Logging.class).build(), "{}");

        String requestId = run.results().get(0).requestId();
        List<String> log = run.log();
        int start = log.indexOf("START RequestId: " + requestId + " Version: $LATEST");
        int end = log.indexOf("END RequestId: " + requestId);
        assertThat(start).isNotNegative().isLessThan(end);
        assertThat(log.subList(start + 1, end))
                .containsExactlyInAnyOrder(
                        "plain stdout line",
                        "plain stderr line",
                        "logger message\nwith a second line",
                        "logger message without newline");
        assertThat(log.get(end + 1)).matches(COLD_REPORT);
    }

    @Test
    void jsonLogFormatWritesLoggerMessagesAndPlatformRecordsAsJson() {
        InvokeRun run =
                invoke(testFunction(Logging.class).logFormat(LogFormat.JSON).build(), "{}");

        String requestId = run.results().get(0).requestId();
        List<JsonNode> records = jsonLogLines(run);
        assertThat(records).anySatisfy(record -> {
            assertThat(record.path("type").asText()).isEqualTo("platform.start");
            assertThat(record.get("record").get("requestId").asText()).isEqualTo(requestId);
        });
        assertThat(records).anySatisfy(record -> {
            assertThat(record.path("message").asText()).isEqualTo("logger message\nwith a second line");
            assertThat(record.get("AWSRequestId").asText()).isEqualTo(requestId);
        });
        assertThat(records).anySatisfy(record -> {
            assertThat(record.path("type").asText()).isEqualTo("platform.report");
            assertThat(record.get("record").get("status").asText()).isEqualTo("success");
            JsonNode metrics = record.get("record").get("metrics");
            assertThat(metrics.get("durationMs").asDouble()).isPositive();
            assertThat(metrics.get("initDurationMs").asDouble()).isPositive();
            assertThat(metrics.get("memorySizeMB").asInt()).isEqualTo(512);
        });
        assertThat(run.log()).noneMatch(line -> line.startsWith("END RequestId"));
    }

    @Test
    void invocationPastItsTimeoutIsStoppedAndReported() {
        InvokeRun run = invoke(
                testFunction(Sleeping.class).timeout(Duration.ofSeconds(1)).build(), "{\"millis\":60000}");

        InvocationResult result = run.results().get(0);
        assertThat(result.status()).isEqualTo(InvocationResult.Status.TIMEOUT);
        assertThat(result.payloadText()).contains(result.requestId() + " Task timed out after 1.00 seconds");
        assertThat(result.duration()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(run.log()).anySatisfy(line -> assertThat(line).contains("\tStatus: timeout"));
    }

    @Test
    void runtimeThatExitsIsReportedWithItsExitStatus() {
        InvokeRun run = invoke(testFunction(Sleeping.class).build(), "{\"exitStatus\":3}");

        InvocationResult result = run.results().get(0);
        assertThat(result.status()).isEqualTo(InvocationResult.Status.RUNTIME_EXIT);
        assertThat(result.errorType()).isEqualTo("Runtime.ExitError");
        assertThat(result.payloadText()).contains("Runtime exited with error: exit status 3");
    }

    /** The first log event that contains {@code text} (an event may span lines), or -1. */
    private static int indexOfFirst(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
