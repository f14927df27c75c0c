package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.probe.ObservedInvocations;
import io.warden.probe.SdkCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the agent observes of a function, read from its observation lines: the AWS SDK v2 calls made through real
 * clients (sync and async; URLConnection, Apache and Netty) against a loopback endpoint speaking each service's
 * protocol, exactly as made, with the resources each request named and the error code of each failed call: a batch or
 * transaction as one item per table (secret, parameter) it names, read only from the SDK's own copies.
 */
class ObservationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AwsFake aws;

    @BeforeAll
    static void start() throws Exception {
        aws = new AwsFake();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    record Call(String service, String operation, String region, Map<String, String> resources, String error) {}

    private static Call call(String service, String operation, String region, String error, String... resources) {
        Map<String, String> named = new TreeMap<>();
        for (int i = 0; i < resources.length; i += 2) {
            named.put(resources[i], resources[i + 1]);
        }
        return new Call(service, operation, region, named, error);
    }

    private static List<JsonNode> observations(AgentJvm.Result result) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.lines()) {
            if (line.startsWith("{\"warden\":\"observation\"")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<JsonNode> items(List<JsonNode> lines, String kind) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode line : lines) {
            for (JsonNode item : line.get("items")) {
                if (item.get("kind").asText().equals(kind)) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /** The aws items of the lines, each with its count; a sync call's caller is the probe's own frame. */
    private static Map<Call, Long> awsCalls(List<JsonNode> lines, Class<?> probe) {
        Map<Call, Long> counts = new java.util.LinkedHashMap<>();
        for (JsonNode item : items(lines, "aws")) {
            Map<String, String> resources = new TreeMap<>();
            item.get("resources")
                    .fields()
                    .forEachRemaining(
                            e -> resources.put(e.getKey(), e.getValue().asText()));
            Call call = new Call(
                    item.get("service").asText(),
                    item.get("operation").asText(),
                    item.path("region").asText(null),
                    resources,
                    item.path("error").asText(null));
            assertThat(counts.put(call, item.get("count").asLong()))
                    .as("observed once: " + call)
                    .isNull();
            if (item.has("caller")) { // a sync call's; an async call ends on a thread of the SDK's, with no caller
                assertThat(item.get("caller").asText())
                        .as("the function's own frame, not the SDK's")
                        .startsWith(probe.getName() + ".");
            }
        }
        return counts;
    }

    @Test
    void everySdkCallIsObservedWithItsResourcesAndErrorsExactlyAsMade() throws Exception {
        AgentJvm.Result result = new AgentJvm()
                .env("WARDEN_POLICY", "{\"version\":1,\"mode\":\"alert\"}")
                .env("AWS_LAMBDA_FUNCTION_NAME", "orders")
                .env("AWS_REGION", "eu-west-1")
                .run(SdkCalls.class.getName(), List.of(aws.endpoint()));

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.lines())
                .as(result.toString())
                .contains(
                        "CALL dynamodb-get OK",
                        "CALL dynamodb-async-query OK",
                        "CALL s3-put OK",
                        "CALL s3-get OK",
                        "CALL s3-async-put OK",
                        "CALL s3-async-get OK",
                        "CALL sqs-attributes OK",
                        "CALL sqs-async-attributes OK",
                        "CALL sns-publish OK",
                        "CALL secrets-get OK",
                        "CALL ssm-get OK",
                        "CALL lambda-invoke OK",
                        "CALL kms-encrypt OK",
                        "CALL dynamodb-batch-write OK",
                        "CALL dynamodb-batch-get OK",
                        "CALL dynamodb-async-transact-write OK",
                        "CALL dynamodb-transact-get OK",
                        "CALL dynamodb-batch-get-101-tables OK",
                        "CALL dynamodb-query-index OK",
                        "CALL dynamodb-scan-index OK",
                        "CALL secrets-batch-get OK",
                        "CALL ssm-get-parameters OK",
                        "CALL dynamodb-own-map-builder OK",
                        "CALL dynamodb-own-list-builder OK",
                        "CALL dynamodb-own-map-field OK",
                        "CALL dynamodb-own-list-field OK");
        assertThat(result.lines()).anyMatch(line -> line.startsWith("CALL dynamodb-put-missing FAILED"));
        assertThat(result.lines()).anyMatch(line -> line.startsWith("CALL s3-get-missing FAILED"));
        assertThat(result.lines()).anyMatch(line -> line.startsWith("CALL dynamodb-batch-write-missing FAILED"));

        List<JsonNode> lines = observations(result);
        assertThat(lines).as(result.toString()).isNotEmpty();
        assertThat(lines.get(0).get("function").asText()).isEqualTo("orders");
        assertThat(lines.get(0).get("region").asText()).isEqualTo("eu-west-1");
        assertThat(lines.get(0).get("mode").asText()).isEqualTo("alert");

        Map<Call, Long> counts = awsCalls(lines, SdkCalls.class);
        List<Call> observed = new ArrayList<>(counts.keySet());
        String queue = aws.endpoint() + "/123456789012/orders";
        assertThat(observed)
                .as(result.toString())
                .containsExactlyInAnyOrder(
                        call("dynamodb", "GetItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "PutItem", "eu-west-1", "ResourceNotFoundException", "TableName", "missing"),
                        call("dynamodb", "Query", "eu-west-1", null, "TableName", "orders"),
                        call("s3", "PutObject", "eu-central-1", null, "Bucket", "invoices", "Key", "eu/"),
                        call("s3", "GetObject", "eu-central-1", null, "Bucket", "invoices", "Key", "eu/"),
                        call("s3", "GetObject", "eu-central-1", "NoSuchKey", "Bucket", "invoices", "Key", ""),
                        call("s3", "PutObject", "eu-central-1", null, "Bucket", "uploads", "Key", ""),
                        call("s3", "GetObject", "eu-central-1", null, "Bucket", "uploads", "Key", ""),
                        call("sqs", "GetQueueAttributes", "us-east-1", null, "QueueUrl", queue),
                        call(
                                "sns",
                                "Publish",
                                "us-east-1",
                                null,
                                "TopicArn",
                                "arn:aws:sns:us-east-1:123456789012:events"),
                        call("secretsmanager", "GetSecretValue", "eu-west-1", null, "SecretId", "prod/db"),
                        call("ssm", "GetParameter", "eu-west-1", null, "Name", "/orders/table"),
                        call("lambda", "Invoke", "eu-west-1", null, "FunctionName", "billing"),
                        call("kms", "Encrypt", "eu-west-1", null, "KeyId", "alias/orders"),
                        // A batch or a transaction is one item per table it names; a query or scan of an index names
                        // it.
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null, "TableName", "audit"),
                        call("dynamodb", "BatchGetItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "BatchGetItem", "eu-west-1", null, "TableName", "customers"),
                        // A failed batch: each table with the error; more tables than the cap: none of them.
                        call(
                                "dynamodb",
                                "BatchWriteItem",
                                "eu-west-1",
                                "ResourceNotFoundException",
                                "TableName",
                                "missing"),
                        call(
                                "dynamodb",
                                "BatchWriteItem",
                                "eu-west-1",
                                "ResourceNotFoundException",
                                "TableName",
                                "orders"),
                        call("dynamodb", "BatchGetItem", "eu-west-1", null),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null, "TableName", "stock"),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null, "TableName", "customers"),
                        call("dynamodb", "TransactGetItems", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "TransactGetItems", "eu-west-1", null, "TableName", "stock"),
                        call("dynamodb", "Query", "eu-west-1", null, "TableName", "orders", "IndexName", "by-customer"),
                        call("dynamodb", "Scan", "eu-west-1", null, "TableName", "stock", "IndexName", "by-shelf"),
                        call("secretsmanager", "BatchGetSecretValue", "eu-west-1", null, "SecretId", "prod/db"),
                        call("secretsmanager", "BatchGetSecretValue", "eu-west-1", null, "SecretId", "prod/api"),
                        call("ssm", "GetParameters", "eu-west-1", null, "Name", "/orders/table"),
                        call("ssm", "GetParameters", "eu-west-1", null, "Name", "/orders/limit"),
                        // The function's own map and list, through the builder: the SDK's copies are read.
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null, "TableName", "spied"),
                        call("dynamodb", "TransactGetItems", "eu-west-1", null, "TableName", "listed"),
                        // Written into the request's fields: left unread, the calls observed without their tables.
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null));
        assertThat(counts.get(call("dynamodb", "GetItem", "eu-west-1", null, "TableName", "orders")))
                .isEqualTo(2);
        assertThat(counts.get(call("sqs", "GetQueueAttributes", "us-east-1", null, "QueueUrl", queue)))
                .isEqualTo(2);

        // The function's own collections: through the builder the SDK copies them into the JDK's unmodifiable views
        // over its own LinkedHashMap and ArrayList (what Warden reads); written into the request's fields, the SDK
        // itself reads them. Warden never calls a method of theirs.
        assertThat(result.lines())
                .as(result.toString())
                .anyMatch(line -> line.matches(
                        "OWN map-builder java\\.util\\.Collections\\$UnmodifiableMap calls=[1-9]\\d* warden=0"))
                .anyMatch(line -> line.matches(
                        "OWN list-builder java\\.util\\.Collections\\$UnmodifiableRandomAccessList calls=[1-9]\\d*"
                                + " warden=0"))
                .anyMatch(line -> line.matches(
                        "OWN map-field java\\.util\\.Collections\\$UnmodifiableMap calls=[1-9]\\d* warden=0"))
                .anyMatch(line -> line.matches(
                        "OWN list-field java\\.util\\.Collections\\$UnmodifiableList calls=[1-9]\\d* warden=0"));

        // Called by the function itself, the gate's reading hands out a copy, nothing of a view over its own map, and
        // nothing past the bound.
        assertThat(result.lines()).contains("GATE contents [changed] view [spied] own null more null");

        // The connections the SDK made to the endpoint are observed as network targets.
        assertThat(items(lines, "network"))
                .anyMatch(item -> item.get("address").asText().equals("127.0.0.1")
                        && item.get("port").asInt()
                                == Integer.parseInt(
                                        aws.endpoint().substring(aws.endpoint().lastIndexOf(':') + 1)));

        // The JDK's own libraries (the baseline's: libjimage, which the agent's self-check has the JDK load, among
        // them) are not observations of the function's.
        assertThat(items(lines, "native"))
                .noneMatch(item -> item.get("path").asText().startsWith(System.getProperty("java.home")));
    }

    private static final String UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void everyLineOfAJvmHasAnIdOfItsOwn() throws Exception {
        int invocations = 30;
        Path files = Path.of("target", "observed-invocations").toAbsolutePath();
        // The files the invocations open are allowed, so that no violation comes before the first line: its id is the
        // first the agent makes, from its first read of the kernel's UUID file, which the policy does not allow.
        AgentJvm.Result result = new AgentJvm()
                .env("WARDEN_POLICY", "{\"version\":1,\"mode\":\"alert\",\"files\":{\"read\":[\"" + files + "/**\"]}}")
                .env("AWS_LAMBDA_FUNCTION_NAME", "orders")
                .env("_HANDLER", ObservedInvocations.class.getName() + "::handleRequest")
                .run(ObservedInvocations.class.getName(), List.of(files.toString(), Integer.toString(invocations)));
        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.lines()).as(result.toString()).contains("INVOKED " + invocations);

        List<JsonNode> lines = observations(result);
        // One line at the end of each invocation at least: each opened a file none opened before.
        assertThat(lines).as(result.toString()).hasSizeGreaterThanOrEqualTo(invocations);
        Set<String> opened = new HashSet<>();
        for (JsonNode item : items(lines, "file")) {
            opened.add(item.get("path").asText());
        }
        assertThat(opened)
                .contains(
                        files.resolve("file-aa").toString(),
                        files.resolve("file-bd").toString());
        List<String> ids = new ArrayList<>();
        for (JsonNode line : lines) {
            ids.add(line.path("id").asText(null));
        }
        assertThat(ids).as(result.toString()).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(ids).allMatch(id -> id.matches(UUID_TEXT), "a UUID");

        List<String> before = new ArrayList<>();
        for (String line : result.lines()) {
            if (line.startsWith("{\"warden\":\"observation\"")) {
                break;
            }
            before.add(line);
        }
        assertThat(before).as(result.toString()).noneMatch(line -> line.startsWith("{\"warden\":\"violation\""));
        // Reading the UUID file is Warden's own work: neither a violation nor an observation of the function's.
        assertThat(result.lines()).as(result.toString()).noneMatch(line -> line.contains("/proc/sys/kernel/random"));
    }

    /**
     * The SDK for Java v1's clients (sync and async), observed as v2's are: the same service ids, operation names and
     * resource member names, a call that names several tables one item per table. Run in block mode with only loopback
     * allowed, so that nothing the v1 SDK does on its own (instance metadata, a name lookup) could leave the machine:
     * no violation, no name looked up, no connect but to the fake.
     */
    @Test
    void everySdkV1CallIsObservedAsMadeAndNoOverriddenMethodOfTheFunctionsRuns() throws Exception {
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"block\",\"learn\":true,\"network\":{\"allow\":[\"127.0.0.1\"]},"
                                + "\"files\":{\"mode\":\"alert\"}}")
                .env("AWS_LAMBDA_FUNCTION_NAME", "orders")
                .env("AWS_REGION", "eu-west-1")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .option("-Daws.java.v1.disableDeprecationAnnouncement=true")
                .run(io.warden.probe.SdkV1Calls.class.getName(), List.of(aws.endpoint()));

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.lines())
                .as(result.toString())
                .contains(
                        "CALL dynamodb-get OK",
                        "CALL dynamodb-get-again OK",
                        "CALL dynamodb-query-index OK",
                        "CALL dynamodb-batch-get OK",
                        "CALL dynamodb-batch-write OK",
                        "CALL dynamodb-async-get OK",
                        "CALL dynamodb-transact-write OK",
                        "CALL dynamodb-transact-get OK",
                        "CALL dynamodb-batch-write-forged-map OK",
                        "CALL secrets-batch-get OK",
                        "CALL ssm-get-parameters OK",
                        "CALL dynamodb-get-forged-request OK",
                        "CALL s3-put OK",
                        "CALL s3-get OK",
                        "CALL sqs-attributes OK",
                        "CALL sns-publish OK",
                        "CALL secrets-get OK",
                        "CALL ssm-get OK",
                        "CALL lambda-invoke OK",
                        "CALL kms-encrypt OK");
        assertThat(result.lines())
                .anyMatch(line -> line.startsWith("CALL dynamodb-put-missing FAILED "
                        + "com.amazonaws.services.dynamodbv2.model.ResourceNotFoundException"))
                .anyMatch(line ->
                        line.startsWith("CALL s3-get-missing FAILED com.amazonaws.services.s3.model.AmazonS3Exception"))
                .anyMatch(
                        line -> line.startsWith(
                                "CALL dynamodb-delete-forged-failure FAILED io.warden.probe.SdkV1Calls$ForgedServiceException"));
        // The forged request's getter is what the SDK marshals from; Warden never ran it, nor the forged exception's.
        assertThat(result.lines())
                .as(result.toString())
                .anyMatch(line -> line.matches("OVERRIDES sdk=[1-9]\\d* warden=0"));
        assertThat(result.lines()).noneMatch(line -> line.startsWith("{\"warden\":\"violation\""));
        assertThat(result.lines()).noneMatch(line -> line.startsWith("{\"warden\":\"error\""));

        List<JsonNode> lines = observations(result);
        Map<Call, Long> counts = awsCalls(lines, io.warden.probe.SdkV1Calls.class);
        String queue = aws.endpoint() + "/123456789012/orders";
        assertThat(counts.keySet())
                .as(result.toString())
                .containsExactlyInAnyOrder(
                        call("dynamodb", "GetItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "PutItem", "eu-west-1", "ResourceNotFoundException", "TableName", "missing"),
                        call("dynamodb", "Query", "eu-west-1", null, "TableName", "orders", "IndexName", "by-customer"),
                        call("dynamodb", "BatchGetItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "BatchGetItem", "eu-west-1", null, "TableName", "customers"),
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null, "TableName", "audit"),
                        call("dynamodb", "GetItem", "eu-west-1", null, "TableName", "invoices"),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null, "TableName", "orders"),
                        call("dynamodb", "TransactWriteItems", "eu-west-1", null, "TableName", "customers"),
                        call("dynamodb", "TransactGetItems", "eu-west-1", null, "TableName", "invoices"),
                        // A map of the function's making is never read: the batch is observed without its tables.
                        call("dynamodb", "BatchWriteItem", "eu-west-1", null),
                        call("secretsmanager", "BatchGetSecretValue", "eu-west-1", null, "SecretId", "prod/db"),
                        call("secretsmanager", "BatchGetSecretValue", "eu-west-1", null, "SecretId", "prod/api"),
                        call("ssm", "GetParameters", "eu-west-1", null, "Name", "/orders/table"),
                        call("ssm", "GetParameters", "eu-west-1", null, "Name", "/orders/queue"),
                        // The forged request loses its resources (its field is never trusted), nothing else; the
                        // forged exception is named by its class, not by the code it claims.
                        call("dynamodb", "GetItem", "eu-west-1", null),
                        call("dynamodb", "DeleteItem", "eu-west-1", "ForgedServiceException", "TableName", "orders"),
                        call("s3", "PutObject", "eu-central-1", null, "Bucket", "invoices", "Key", "eu/"),
                        call("s3", "GetObject", "eu-central-1", null, "Bucket", "invoices", "Key", "eu/"),
                        call("s3", "GetObject", "eu-central-1", "NoSuchKey", "Bucket", "invoices", "Key", ""),
                        call("sqs", "GetQueueAttributes", "us-east-1", null, "QueueUrl", queue),
                        call(
                                "sns",
                                "Publish",
                                "us-east-1",
                                null,
                                "TopicArn",
                                "arn:aws:sns:us-east-1:123456789012:events"),
                        call("secretsmanager", "GetSecretValue", "eu-west-1", null, "SecretId", "prod/db"),
                        call("ssm", "GetParameter", "eu-west-1", null, "Name", "/orders/table"),
                        call("lambda", "Invoke", "eu-west-1", null, "FunctionName", "billing"),
                        call("kms", "Encrypt", "eu-west-1", null, "KeyId", "alias/orders"));
        assertThat(counts.get(call("dynamodb", "GetItem", "eu-west-1", null, "TableName", "orders")))
                .isEqualTo(2);

        // Loopback only: every connection to the fake, no name looked up.
        assertThat(items(lines, "network"))
                .isNotEmpty()
                .allMatch(item -> item.get("address").asText().equals("127.0.0.1"));
        assertThat(items(lines, "dns")).isEmpty();
    }

    @Test
    void theObservationLinesReachThePolicyService() throws Exception {
        List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer service = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0), 50);
        service.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (exchange.getRequestMethod().equals("POST")
                        && exchange.getRequestURI().getPath().equals("/v1/observations")) {
                    posted.add(body);
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.sendResponseHeaders(202, -1);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        service.start();
        try {
            AgentJvm.Result result = new AgentJvm()
                    .env("WARDEN_POLICY", "{\"version\":1,\"mode\":\"alert\"}")
                    .env(
                            "WARDEN_SERVICE_URL",
                            "http://127.0.0.1:" + service.getAddress().getPort() + "/")
                    .env("WARDEN_SERVICE_TOKEN", "reporter-token")
                    .run(SdkCalls.class.getName(), List.of(aws.endpoint()));
            assertThat(result.exitCode).as(result.toString()).isZero();

            List<String> logged = new ArrayList<>();
            for (String line : result.lines()) {
                if (line.startsWith("{\"warden\":\"observation\"")) {
                    logged.add(line);
                }
            }
            assertThat(logged).isNotEmpty();
            // Each line as written, one per request, parsed by the policy core as the service parses it: the copy in
            // the log and the one posted carry the same id, so the service merges the line once if both reach it.
            assertThat(posted).as(result.toString()).containsExactlyElementsOf(logged);
            Set<String> ids = new HashSet<>();
            for (String body : posted) {
                io.warden.policy.observe.Observation observation = io.warden.policy.observe.ObservationJson.parse(body);
                assertThat(observation.items()).isNotEmpty();
                assertThat(observation.id()).matches(UUID_TEXT);
                ids.add(observation.id());
            }
            assertThat(ids).hasSameSizeAs(posted);
            assertThat(authorizations).allMatch("Bearer reporter-token"::equals);
        } finally {
            service.stop(0);
        }
    }

    @Test
    void nothingIsObservedInBlockModeUnlessThePolicyLearns() throws Exception {
        String allowLoopback = "\"network\":{\"allow\":[\"127.0.0.1\"]},\"files\":{\"mode\":\"alert\"}";
        AgentJvm.Result quiet = new AgentJvm()
                .env("WARDEN_POLICY", "{\"version\":1," + allowLoopback + "}")
                .run(SdkCalls.class.getName(), List.of(aws.endpoint()));
        assertThat(quiet.lines()).as(quiet.toString()).contains("CALL kms-encrypt OK");
        assertThat(observations(quiet)).isEmpty();

        AgentJvm.Result learning = new AgentJvm()
                .env("WARDEN_POLICY", "{\"version\":1,\"learn\":true," + allowLoopback + "}")
                .run(SdkCalls.class.getName(), List.of(aws.endpoint()));
        assertThat(learning.lines()).as(learning.toString()).contains("CALL kms-encrypt OK");
        List<JsonNode> lines = observations(learning);
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(0).get("mode").asText()).isEqualTo("block");
        assertThat(items(lines, "aws")).hasSize(36);
    }
}
