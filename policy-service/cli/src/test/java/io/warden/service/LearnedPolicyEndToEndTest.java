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
import io.warden.invoke.LambdaFixtures;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.service.api.ServiceClient;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.sdkfunction.OrdersTableFunction;
import io.warden.service.sdkv1function.OrdersTableV1Function;
import io.warden.service.store.Dynalite;
import java.io.File;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Learning a function's policy end to end: the egress demo's legitimate work (a call to a DynamoDB endpoint name,
 * writing /tmp) runs on the real Lambda runtime client under the Warden layer in {@code alert} mode, reporting its
 * observations and violations to the real policy service on loopback; {@code warden policy apply --mode block} stores
 * the suggested policy; a replay of the same work under it, signed and served by the service, meets zero violations,
 * while the demo's attacks (a connect to an unlisted address, reading /proc/self/environ, starting a process) are
 * blocked, and so is sending data to another AWS service's endpoint of the same region on the very port the function
 * used. The same loop for a function on DynamoDB through the real AWS SDK (against dynalite) learns its endpoint with
 * its SDK calls as the evidence. The AWS names resolve to loopback through the function JVM's hosts file: nothing
 * leaves the machine.
 */
@ExtendWith(Dynalite.Resolver.class)
class LearnedPolicyEndToEndTest {

    private static final String FUNCTION = "learner";
    /** The endpoint the function's work goes to, and one of another service of the same region. */
    private static final String DYNAMODB = "dynamodb.eu-west-1.amazonaws.com";

    private static final String STS = "sts.eu-west-1.amazonaws.com";

    private static final String OTHER_BUCKET = "attacker-drop.s3.eu-west-1.amazonaws.com";
    private static final String SDK_FUNCTION = "orders-sdk";
    private static final String SDK_V1_FUNCTION = "orders-sdk-v1";
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
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        for (String name : List.of(DYNAMODB, STS, OTHER_BUCKET)) {
            Files.writeString(hosts, "127.0.0.1 " + name + "\n", StandardOpenOption.APPEND);
        }
        reporterToken = alertModeReporter(FUNCTION);
    }

    /** Stores an alert-mode policy for the function and returns a reporter token for it. */
    private static String alertModeReporter(String function) {
        assertThat(client.putJson("/v1/policies/" + function, adminToken, "{\"version\":1,\"mode\":\"alert\"}")
                        .statusCode())
                .isBetween(200, 204);
        return client.reporterToken(adminToken, function);
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
                .env(
                        "JAVA_TOOL_OPTIONS",
                        "-Djdk.net.hosts.file=" + hosts + " -Daws.java.v1.disableDeprecationAnnouncement=true")
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
        return violations(FUNCTION);
    }

    private static JsonNode violations(String function) {
        HttpResponse<String> response = client.get("/v1/violations?function=" + function + "&limit=1000", adminToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).get("violations");
    }

    /** Waits until the service holds this many of the function's violations (the agent reports them as it runs). */
    private static void awaitStored(int count) throws InterruptedException {
        awaitStored(FUNCTION, count);
    }

    private static void awaitStored(String function, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(ARRIVAL_TIMEOUT);
        while (violations(function).size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    /** The exfiltration step's name was refused, and everything reported about it was blocked. */
    private static void assertExfiltrationBlocked(InvokeRun run, String host) {
        // The name is refused first; HttpURLConnection reports that as the JDK's UnknownHostException of the name.
        assertThat(json(run.results().get(0).payloadText()).get("exfiltration").asText())
                .startsWith("java.net.UnknownHostException");
        assertThat(violationLines(run)).isNotEmpty().allSatisfy(line -> {
            assertThat(line.get("action").asText()).isEqualTo("blocked");
            assertThat(line.get("target").asText()).contains(host);
        });
    }

    /** {@code warden policy apply FUNCTION --mode block --yes}: its review output. */
    private static String applyInBlockMode(String function) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("policy", "apply", function, "--data-dir", data.toString(), "--mode", "block", "--yes");
        assertThat(exit).as(out + "\n" + err).isZero();
        return out.toString();
    }

    private static List<JsonNode> violationLines(InvokeRun run) {
        return jsonLogLines(run).stream()
                .filter(line -> line.path("warden").asText().equals("violation"))
                .toList();
    }

    private static void assertEveryStepSucceeded(InvokeRun run, int steps) {
        assertThat(run.results()).isNotEmpty();
        for (InvocationResult result : run.results()) {
            JsonNode outcomes = json(result.payloadText());
            assertThat(outcomes.size()).as(result.payloadText()).isEqualTo(steps);
            outcomes.forEach(outcome ->
                    assertThat(outcome.asText()).as(result.payloadText()).startsWith("ok: "));
        }
    }

    @Test
    void theLearnedPolicyLetsTheWorkloadThroughAndStillBlocksTheAttacks() throws Exception {
        InvokeRun learning = invoke(function(), workload(), workload(), workload());
        assertEveryStepSucceeded(learning, 2);
        List<JsonNode> alerted = violationLines(learning);
        assertThat(alerted)
                .as("in alert mode the workload's operations are reported and go through")
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line.get("action").asText()).isEqualTo("alerted"));
        awaitStored(alerted.size());
        assertThat(violations()).hasSize(alerted.size());

        // The agent's observations and its alert-mode violations both arrived, and the suggestion rests on them.
        assertThat(applyInBlockMode(FUNCTION))
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
        assertEveryStepSucceeded(replay, 2);
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
        assertExfiltrationBlocked(toSts, STS);
        assertThat(allowedCalls.get() - callsBefore)
                .as("nothing reached the port")
                .isEqualTo(3);
        int attacksReported =
                violationLines(attack).size() + violationLines(toSts).size();
        awaitStored(stored + attacksReported);
        assertThat(violations()).hasSize(stored + attacksReported);
    }

    /** The SDK's jars and what they need, from this test's class path: the function's lib/, as its build would pack it. */
    private static List<Path> sdkJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar")
                        && (entry.contains("/software/amazon/awssdk/")
                                || entry.contains("/software/amazon/eventstream/")
                                || entry.contains("/org/reactivestreams/")
                                || entry.contains("/org/slf4j/slf4j-api/")))
                .map(Path::of)
                .toList();
    }

    /** The same for the AWS SDK for Java v1: its jars and those it needs (Apache HttpClient 4, Jackson, Joda-Time). */
    private static List<Path> sdkV1Jars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar")
                        && (entry.contains("/com/amazonaws/aws-java-sdk-")
                                || entry.contains("/com/amazonaws/jmespath-java/")
                                || entry.contains("/org/apache/httpcomponents/httpclient/")
                                || entry.contains("/org/apache/httpcomponents/httpcore/")
                                || entry.contains("/commons-logging/")
                                || entry.contains("/commons-codec/")
                                || entry.contains("/joda-time/")
                                || entry.contains("/com/fasterxml/jackson/")))
                .map(Path::of)
                .toList();
    }

    private static FunctionSpec sdkFunction(Path zip, String reporter, Dynalite dynalite, String table) {
        return sdkFunction(SDK_FUNCTION, OrdersTableFunction.class, zip, reporter, dynalite, table);
    }

    private static FunctionSpec sdkFunction(
            String function, Class<?> handler, Path zip, String reporter, Dynalite dynalite, String table) {
        return withBuiltLayer(FunctionSpec.builder(zip, handler.getName() + "::handleRequest"))
                .functionName(function)
                .region("eu-west-1")
                .env("AWS_ACCESS_KEY_ID", "AKIDWARDENTEST")
                .env("AWS_SECRET_ACCESS_KEY", "warden-test-secret")
                .env(
                        "ORDERS_ENDPOINT",
                        "http://" + DYNAMODB + ":" + dynalite.endpoint().getPort())
                .env("ORDERS_TABLE", table)
                .env("WARDEN_SERVICE_URL", service.baseUrl())
                .env("WARDEN_SERVICE_TOKEN", reporter)
                .env("WARDEN_POLICY_PUBLIC_KEY", service.signingKey().publicKeyBase64())
                .env(
                        "JAVA_TOOL_OPTIONS",
                        "-Djdk.net.hosts.file=" + hosts + " -Daws.java.v1.disableDeprecationAnnouncement=true")
                .build();
    }

    /** Waits until the suggestion holds the entry and the SDK calls the agent observed reaching it. */
    private static JsonNode awaitSuggestedWithCalls(String function, String entry) throws InterruptedException {
        Instant deadline = Instant.now().plus(ARRIVAL_TIMEOUT);
        while (true) {
            HttpResponse<String> response = client.get("/v1/functions/" + function + "/suggested-policy", adminToken);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode added : json(response.body()).get("added")) {
                if (added.get("entry").asText().equals(entry)
                        && added.at("/aws/distinctCalls").asInt() > 0) {
                    return added;
                }
            }
            assertThat(Instant.now()).as(response.body()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** A table of the test's own in dynalite, with the order the functions read. */
    private static String ordersTable(Dynalite dynalite) {
        String table = Dynalite.newTablePrefix() + "orders";
        dynalite.client()
                .createTable(request -> request.tableName(table)
                        .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH))
                        .attributeDefinitions(
                                attribute -> attribute.attributeName("id").attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST));
        dynalite.client().putItem(request -> request.tableName(table).item(Map.of("id", AttributeValue.fromS("1"))));
        return table;
    }

    @Test
    void anSdkFunctionOnDynamoDbLearnsItsEndpointWithItsCallsAndNoOtherServiceOfTheRegion(Dynalite dynalite)
            throws Exception {
        String table = ordersTable(dynalite);
        String reporter = alertModeReporter(SDK_FUNCTION);
        Path zip = LambdaFixtures.functionZip(OrdersTableFunction.class, sdkJars());
        String getOrder = toJson(Map.of("steps", List.of("getOrder")));

        InvokeRun learning = invoke(sdkFunction(zip, reporter, dynalite, table), getOrder, getOrder, getOrder);
        assertEveryStepSucceeded(learning, 1);
        assertThat(json(learning.results().get(0).payloadText()).get("getOrder").asText())
                .isEqualTo("ok: order 1");
        String endpoint = DYNAMODB + ":" + dynalite.endpoint().getPort();
        JsonNode evidence = awaitSuggestedWithCalls(SDK_FUNCTION, endpoint);
        assertThat(evidence.at("/aws/calls/0/service").asText()).isEqualTo("dynamodb");
        assertThat(evidence.at("/aws/calls/0/operation").asText()).isEqualTo("GetItem");
        assertThat(evidence.at("/aws/calls/0/resources/TableName").asText()).isEqualTo(table);
        awaitStored(SDK_FUNCTION, violationLines(learning).size());

        assertThat(applyInBlockMode(SDK_FUNCTION))
                .contains("+ /network/allow \"" + endpoint + "\"")
                .contains("endpoint of dynamodb GetItem")
                .doesNotContain("*.eu-west-1.amazonaws.com");

        InvokeRun replay = invoke(sdkFunction(zip, reporter, dynalite, table), getOrder, getOrder, getOrder);
        assertEveryStepSucceeded(replay, 1);
        assertThat(violationLines(replay))
                .as("the replay under the learned policy")
                .isEmpty();

        // Another account's bucket on S3, reached on the very port the function's DynamoDB endpoint has.
        InvokeRun attack = invoke(
                sdkFunction(zip, reporter, dynalite, table),
                toJson(Map.of(
                        "steps",
                        List.of("exfiltration"),
                        "exfilUrl",
                        "http://" + OTHER_BUCKET + ":" + dynalite.endpoint().getPort() + "/")));
        assertExfiltrationBlocked(attack, OTHER_BUCKET);
    }

    /**
     * A function on the AWS SDK for Java v1, learned the same way: its GetItem is observed as v2's would be, so the
     * suggested Warden policy ties its endpoint to the call, the suggested IAM policy grants dynamodb:GetItem on its
     * table, and the replay under the learned policy in block mode meets no violation.
     */
    @Test
    void anSdkV1FunctionIsLearnedAsAV2OneDownToItsIamPolicy(Dynalite dynalite) throws Exception {
        String table = ordersTable(dynalite);
        String reporter = alertModeReporter(SDK_V1_FUNCTION);
        Path zip = LambdaFixtures.functionZip(OrdersTableV1Function.class, sdkV1Jars());
        String getOrder = toJson(Map.of("steps", List.of("getOrder")));
        FunctionSpec function =
                sdkFunction(SDK_V1_FUNCTION, OrdersTableV1Function.class, zip, reporter, dynalite, table);

        InvokeRun learning = invoke(function, getOrder, getOrder, getOrder);
        assertEveryStepSucceeded(learning, 1);
        assertThat(json(learning.results().get(0).payloadText()).get("getOrder").asText())
                .isEqualTo("ok: order 1");
        String endpoint = DYNAMODB + ":" + dynalite.endpoint().getPort();
        JsonNode evidence = awaitSuggestedWithCalls(SDK_V1_FUNCTION, endpoint);
        assertThat(evidence.at("/aws/calls/0/service").asText()).isEqualTo("dynamodb");
        assertThat(evidence.at("/aws/calls/0/operation").asText()).isEqualTo("GetItem");
        assertThat(evidence.at("/aws/calls/0/resources/TableName").asText()).isEqualTo(table);

        HttpResponse<String> iam = client.get("/v1/functions/" + SDK_V1_FUNCTION + "/suggested-iam-policy", adminToken);
        assertThat(iam.statusCode()).as(iam.body()).isEqualTo(200);
        assertThat(json(iam.body()).get("evidence")).as(iam.body()).anySatisfy(grant -> {
            assertThat(grant.get("action").asText()).isEqualTo("dynamodb:GetItem");
            assertThat(grant.get("resource").asText())
                    .startsWith("arn:aws:dynamodb:eu-west-1:")
                    .endsWith(":table/" + table);
        });
        awaitStored(SDK_V1_FUNCTION, violationLines(learning).size());

        assertThat(applyInBlockMode(SDK_V1_FUNCTION))
                .contains("+ /network/allow \"" + endpoint + "\"")
                .contains("endpoint of dynamodb GetItem");
        InvokeRun replay = invoke(function, getOrder, getOrder, getOrder);
        assertEveryStepSucceeded(replay, 1);
        assertThat(violationLines(replay))
                .as("the replay under the learned policy")
                .isEmpty();
    }
}
