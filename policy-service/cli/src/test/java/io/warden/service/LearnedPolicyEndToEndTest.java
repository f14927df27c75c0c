package io.warden.service;

import static io.warden.invoke.LambdaFixtures.egressDemo;
import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.json;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.toJson;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.warden.cli.WardenCommand;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeRun;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.service.api.ServiceClient;
import io.warden.service.learn.PolicySuggestion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Learning a function's policy end to end: the egress demo's legitimate work (a call to a DynamoDB endpoint name,
 * writing /tmp) runs on the real Lambda runtime client under the Warden layer in {@code alert} mode, reporting its
 * observations and violations to the real policy service on loopback; {@code warden policy apply --mode block} stores
 * the suggested policy; a replay of the same work under it, signed and served by the service, meets zero violations,
 * while the demo's attacks (a connect to an unlisted address, reading /proc/self/environ, starting a process) are
 * blocked, and so is sending data to another AWS service's endpoint of the same region on the very port the function
 * used. The AWS names resolve to loopback through the function JVM's hosts file: nothing leaves the machine.
 */
class LearnedPolicyEndToEndTest {

    private static final String FUNCTION = "learner";
    /** The endpoint the function's work goes to, and one of another service of the same region. */
    private static final String DYNAMODB = "dynamodb.eu-west-1.amazonaws.com";

    private static final String STS = "sts.eu-west-1.amazonaws.com";
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path data;

    private static LocalService service;
    private static ServiceClient client;
    private static String adminToken;
    private static String reporterToken;
    private static HttpServer allowed;
    private static final AtomicInteger allowedCalls = new AtomicInteger();
    private static ServerSocket unlisted;
    private static Path hosts;

    @BeforeAll
    static void start() throws IOException {
        service = LocalService.start(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
        adminToken = service.adminToken();
        allowed = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        allowed.createContext("/", exchange -> {
            allowedCalls.incrementAndGet();
            byte[] body = "fine".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        allowed.start();
        unlisted = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        hosts = data.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 " + DYNAMODB + "\n127.0.0.1 " + STS + "\n");
        assertThat(client.putJson(
                                "/v1/policies/" + FUNCTION, service.adminToken(), "{\"version\":1,\"mode\":\"alert\"}")
                        .statusCode())
                .isBetween(200, 204);
        reporterToken = client.reporterToken(adminToken, FUNCTION);
    }

    @AfterAll
    static void stop() throws IOException {
        unlisted.close();
        allowed.stop(0);
        service.close();
    }

    private static FunctionSpec function() {
        return withBuiltLayer(egressDemo())
                .functionName(FUNCTION)
                .env("WARDEN_SERVICE_URL", service.baseUrl())
                .env("WARDEN_SERVICE_TOKEN", reporterToken)
                .env("WARDEN_POLICY_PUBLIC_KEY", service.signingKey().publicKeyBase64())
                .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts)
                .build();
    }

    private static String workload() {
        return toJson(Map.of(
                "allowedUrl",
                "http://" + DYNAMODB + ":" + allowed.getAddress().getPort() + "/orders",
                "steps",
                List.of("allowedCall", "writeTmp")));
    }

    /** Data sent to another AWS service's endpoint of the region, on the port the function's own endpoint has. */
    private static String exfiltrationToAnotherAwsService() {
        return toJson(Map.of(
                "exfilUrl",
                "http://" + STS + ":" + allowed.getAddress().getPort() + "/",
                "steps",
                List.of("exfiltration")));
    }

    private static String attacks() {
        return toJson(Map.of(
                "exfilUrl",
                "http://127.0.0.1:" + unlisted.getLocalPort() + "/",
                "steps",
                List.of("exfiltration", "readProcSelfEnviron", "startProcess")));
    }

    private static JsonNode violations() {
        HttpResponse<String> response = client.get("/v1/violations?function=" + FUNCTION + "&limit=1000", adminToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).get("violations");
    }

    /** Waits until the service holds this many of the function's violations (the agent reports them as it runs). */
    private static void awaitStored(int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(ARRIVAL_TIMEOUT);
        while (violations().size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    private static List<JsonNode> violationLines(InvokeRun run) {
        return jsonLogLines(run).stream()
                .filter(line -> line.path("warden").asText().equals("violation"))
                .toList();
    }

    private static void assertEveryStepSucceeded(InvokeRun run) {
        assertThat(run.results()).isNotEmpty();
        for (InvocationResult result : run.results()) {
            JsonNode outcomes = json(result.payloadText());
            assertThat(outcomes.size()).as(result.payloadText()).isEqualTo(2);
            outcomes.forEach(outcome ->
                    assertThat(outcome.asText()).as(result.payloadText()).startsWith("ok: "));
        }
    }

    @Test
    void theLearnedPolicyLetsTheWorkloadThroughAndStillBlocksTheAttacks() throws Exception {
        InvokeRun learning = invoke(function(), workload(), workload(), workload());
        assertEveryStepSucceeded(learning);
        List<JsonNode> alerted = violationLines(learning);
        assertThat(alerted)
                .as("in alert mode the workload's operations are reported and go through")
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line.get("action").asText()).isEqualTo("alerted"));
        awaitStored(alerted.size());
        assertThat(violations()).hasSize(alerted.size());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("policy", "apply", FUNCTION, "--data-dir", data.toString(), "--mode", "block", "--yes");
        assertThat(exit).as(out + "\n" + err).isZero();
        // The agent's observations and its alert-mode violations both arrived, and the suggestion rests on them.
        assertThat(out.toString())
                .contains("+ /network/allow \"" + DYNAMODB + ":"
                        + allowed.getAddress().getPort() + "\"")
                .doesNotContain("*.eu-west-1.amazonaws.com")
                // Plain HTTP to an AWS name: no SDK call observed reaches it, so the entry is flagged for review.
                .contains("no observed AWS SDK call has this endpoint")
                .containsPattern("Rests on: [1-9][0-9]* observation lines")
                .contains("; narrowed.");
        HttpResponse<String> served = client.get("/v1/policies/" + FUNCTION, reporterToken);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("X-Warden-Signature")).isPresent();
        Policy applied = Policy.parse(served.body(), "served policy");
        assertThat(applied.toJson()).contains("\"block\"").doesNotContain("\"alert\"");
        PolicyEvaluator evaluator = PolicySuggestion.evaluator(applied);
        assertThat(evaluator.file(FileAccess.WRITE, "/tmp/egress-demo-x.txt").violation())
                .isFalse();
        assertThat(evaluator.file(FileAccess.READ, "/proc/self/environ").violation())
                .isTrue();

        int callsBefore = allowedCalls.get();
        int stored = violations().size();
        InvokeRun replay = invoke(function(), workload(), workload(), workload());
        assertEveryStepSucceeded(replay);
        assertThat(violationLines(replay))
                .as("the replay under the learned policy")
                .isEmpty();
        assertThat(allowedCalls.get() - callsBefore).isEqualTo(3);

        InvokeRun attack = invoke(function(), attacks());
        JsonNode outcomes = json(attack.results().get(0).payloadText());
        assertThat(outcomes.get("exfiltration").asText()).contains("Blocked by Warden");
        assertThat(outcomes.get("readProcSelfEnviron").asText()).contains("Blocked by Warden");
        assertThat(outcomes.get("startProcess").asText()).contains("Blocked by Warden");
        assertThat(violationLines(attack))
                .extracting(line -> line.get("category").asText())
                .contains("network", "file", "process");
        assertThat(violationLines(attack))
                .allSatisfy(line -> assertThat(line.get("action").asText()).isEqualTo("blocked"));

        // Another service's endpoint of the same region, on the same port: a regional wildcard would let this through.
        InvokeRun toSts = invoke(function(), exfiltrationToAnotherAwsService());
        // The name is refused first; HttpURLConnection reports that as the JDK's UnknownHostException of the name.
        assertThat(json(toSts.results().get(0).payloadText())
                        .get("exfiltration")
                        .asText())
                .startsWith("java.net.UnknownHostException");
        assertThat(violationLines(toSts)).isNotEmpty().allSatisfy(line -> {
            assertThat(line.get("action").asText()).isEqualTo("blocked");
            assertThat(line.get("target").asText()).contains(STS);
        });
        assertThat(allowedCalls.get() - callsBefore)
                .as("nothing reached the port")
                .isEqualTo(3);
        int attacksReported =
                violationLines(attack).size() + violationLines(toSts).size();
        awaitStored(stored + attacksReported);
        assertThat(violations()).hasSize(stored + attacksReported);
    }
}
