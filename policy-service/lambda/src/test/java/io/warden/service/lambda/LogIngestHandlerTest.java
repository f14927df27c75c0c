package io.warden.service.lambda;

import static io.warden.service.lambda.CloudWatchLogsPayloads.batch;
import static io.warden.service.lambda.CloudWatchLogsPayloads.lambdaLogStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.CloudWatchLogsEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.ingest.LogBatch;
import io.warden.service.ingest.LogIngest;
import io.warden.service.store.Dynalite;
import io.warden.service.store.StoreException;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.dynamodb.DynamoDbStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest function on CloudWatch Logs subscription deliveries in the documented format (gzip, base64), read by the
 * serializer of the real Lambda runtime client, storing into the service's DynamoDB tables (dynalite): every violation
 * line of a function's log is stored once however often it is delivered, under the function whose log group it came
 * from; bad lines are counted and named; a store failure fails the invocation so that Lambda delivers it again.
 */
@ExtendWith(Dynalite.Resolver.class)
class LogIngestHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final PojoSerializer<CloudWatchLogsEvent> EVENTS = LambdaEventSerializers.serializerFor(
            CloudWatchLogsEvent.class, LogIngestHandlerTest.class.getClassLoader());
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    static final String ORDERS_LOG = "/aws/lambda/orders";

    Dynalite dynalite;
    String prefix;
    DynamoDbStore store;
    ByteArrayOutputStream output;
    LogIngestHandler handler;

    @BeforeEach
    void deploy(Dynalite dynalite) {
        this.dynalite = dynalite;
        prefix = Dynalite.newTablePrefix();
        store = new DynamoDbStore(dynalite.client(), prefix);
        store.createTables();
        handler = handlerOn(store);
    }

    LogIngestHandler handlerOn(DynamoDbStore tables) {
        output = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        return new LogIngestHandler(
                new LogIngest(tables, clock), new PrintStream(output, true, StandardCharsets.UTF_8), clock);
    }

    /** The event JSON through the runtime client's serializer and the handler; answers the summary. */
    JsonNode invoke(String eventJson) throws IOException {
        CloudWatchLogsEvent event =
                EVENTS.fromJson(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)));
        return JSON.readTree(handler.handleRequest(event, null));
    }

    static String violationLine(String id, String function, String target) {
        return ViolationJson.toJsonLine(Violation.builder()
                .id(id)
                .function(function)
                .time(T0)
                .category(Category.NETWORK)
                .operation("connect")
                .target(target)
                .action(Action.BLOCKED)
                .rule("network.allow (no match)")
                .requestId("req-1")
                .build());
    }

    List<String> storedIds(String function) {
        List<String> ids = new ArrayList<>();
        for (String line : store.violations(new ViolationQuery(function, null, null, null, null, 100, null))
                .events()) {
            ids.add(ViolationJson.parse(line).id());
        }
        return ids;
    }

    List<String> outputLines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theDocumentedExampleDeliveryIsReadAndItsLinesAreNamedAsNoFunctionsLog() throws IOException {
        JsonNode summary = invoke(resource("cloudwatch-logs-documented.json"));

        assertThat(summary.get("logGroup").asText()).isEqualTo("testLogGroup");
        assertThat(summary.get("lines").asInt()).isEqualTo(2);
        assertThat(summary.get("rejected").asInt()).isEqualTo(2);
        assertThat(summary.get("accepted").asInt()).isZero();
        assertThat(summary.at("/rejections/0/logEventId").asText()).isEqualTo("eventId1");
        assertThat(summary.at("/rejections/1/reason").asText())
                .contains("log group \"testLogGroup\" is not a Lambda function's");
    }

    @Test
    void everyViolationLineIsStoredOnceUnderItsLogGroupsFunctionHoweverOftenDelivered() throws IOException {
        String withoutFunction = violationLine("v-2", null, "evil.example:443");
        String event = delivery(
                ORDERS_LOG,
                violationLine("v-1", "orders", "evil.example:443") + "\n",
                withoutFunction,
                "START RequestId: 0c4e5d0a-8f0e-4b8e-9d3c-3f1f6f1b2a11 Version: $LATEST\n",
                violationLine("v-3", "orders", "203.0.113.9:22") + "\n");

        JsonNode first = invoke(event);
        JsonNode again = invoke(event);

        assertThat(first.get("function").asText()).isEqualTo("orders");
        assertThat(first.get("accepted").asInt()).isEqualTo(3);
        assertThat(first.get("ignored").asInt()).isEqualTo(1);
        assertThat(first.get("rejected").asInt()).isZero();
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(3);
        assertThat(storedIds("orders")).containsExactlyInAnyOrder("v-1", "v-2", "v-3");
        assertThat(store.functions())
                .singleElement()
                .satisfies(function -> assertThat(function.name()).isEqualTo("orders"));
        assertThat(outputLines())
                .anySatisfy(line -> assertThat(
                                JSON.readTree(line).path("IngestAccepted").asInt())
                        .isEqualTo(3));
    }

    @Test
    void forgedInvalidAndUnidentifiedLinesAreCountedAndNamedAndTheRestIsStored() throws IOException {
        String event = delivery(
                ORDERS_LOG,
                violationLine("forged-1", "payments", "evil.example:443"),
                "{\"warden\":\"violation\",\"time\":\"2024-05-01T12:00:00.000Z\",\"category\":\"network\","
                        + "\"operation\":\"connect\",\"target\":\"x:1\",\"action\":\"blocked\",\"rule\":\"r\",\"count\":1}",
                "{\"warden\":\"violation\",\"id\":\"bad-1\",\"category\":\"teleport\"}",
                "{\"warden\":\"violation\",\"id\":\"bad-2\",",
                "{\"warden\":\"violation\",\"id\":\"twice-a\",\"id\":\"twice-b\",\"time\":\"2024-05-01T12:00:00.000Z\","
                        + "\"category\":\"network\",\"operation\":\"connect\",\"target\":\"x:1\",\"action\":\"blocked\","
                        + "\"rule\":\"r\",\"count\":1}",
                violationLine("good-1", "orders", "evil.example:443"));

        JsonNode summary = invoke(event);

        assertThat(summary.get("accepted").asInt()).isEqualTo(1);
        assertThat(summary.get("ignored").asInt())
                .as("the line that is not JSON")
                .isEqualTo(1);
        assertThat(summary.get("rejected").asInt()).isEqualTo(4);
        assertThat(summary.get("rejections").findValuesAsText("reason"))
                .satisfiesExactly(
                        reason -> assertThat(reason)
                                .isEqualTo("line of log group /aws/lambda/orders (id forged-1): \"function\""
                                        + " \"payments\" differs from the report's \"orders\""),
                        reason -> assertThat(reason).contains("without an \"id\""),
                        reason -> assertThat(reason).contains("teleport"),
                        reason -> assertThat(reason).contains("duplicate key \"id\""));
        assertThat(storedIds("orders")).containsExactly("good-1");
        assertThat(storedIds("payments")).isEmpty();
        assertThat(outputLines())
                .anySatisfy(line -> assertThat(
                                JSON.readTree(line).path("IngestRejected").asInt())
                        .isEqualTo(4));
    }

    /** An observation line as the agent writes it, with {@code id} (or none, as agents before ids wrote them). */
    static String observationLine(String id, String function) {
        return "{\"warden\":\"observation\",\"version\":1," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"function\":\"" + function + "\","
                + "\"functionVersion\":\"$LATEST\",\"requestId\":\"req-1\",\"time\":\"2024-05-01T12:00:00.000Z\","
                + "\"mode\":\"alert\",\"dropped\":0,\"items\":["
                + "{\"kind\":\"network\",\"host\":\"orders.example.com\",\"address\":\"10.0.0.5\",\"port\":443,"
                + "\"count\":3,\"caller\":\"com.acme.X.y\"},"
                + "{\"kind\":\"dns\",\"name\":\"orders.example.com\",\"count\":1}]}";
    }

    @Test
    void observationLinesAreMergedIntoTheLogGroupsFunctionOnceHoweverOftenDeliveredAndNeverIntoAnothers()
            throws IOException {
        String event = delivery(
                ORDERS_LOG,
                observationLine("o-1", "orders") + "\n",
                observationLine("o-2", "payments"),
                observationLine("o-3", "orders"));

        JsonNode first = invoke(event);
        JsonNode again = invoke(event);

        assertThat(first.get("observations").asInt()).isEqualTo(2);
        assertThat(first.get("duplicateObservations").asInt()).isZero();
        assertThat(first.get("observedItems").asInt()).isEqualTo(4);
        assertThat(first.get("rejected").asInt()).isEqualTo(1);
        assertThat(first.at("/rejections/0/reason").asText())
                .isEqualTo("line of log group /aws/lambda/orders may not report for function \"payments\"");
        assertThat(again.get("observations").asInt()).isZero();
        assertThat(again.get("duplicateObservations").asInt()).isEqualTo(2);
        assertThat(again.get("observedItems").asInt()).isZero();
        // Two lines, each counted once: the network item's 3 and the DNS name's 1, twice.
        assertThat(store.observations().items("orders", null))
                .hasSize(2)
                .allSatisfy(item -> assertThat(item.version()).isEqualTo("$LATEST"))
                .extracting(item -> item.item().count())
                .containsExactlyInAnyOrder(6L, 2L);
        assertThat(store.observations().versions("orders"))
                .singleElement()
                .satisfies(version -> assertThat(version.lines()).isEqualTo(2));
        assertThat(store.observations().items("payments", null)).isEmpty();
    }

    @Test
    void anObservationLineOfAnAgentBeforeIdsIsMergedAtEachDelivery() throws IOException {
        String event = delivery(ORDERS_LOG, observationLine(null, "orders"));

        assertThat(invoke(event).get("observations").asInt()).isEqualTo(1);
        assertThat(invoke(event).get("observations").asInt()).isEqualTo(1);
        assertThat(store.observations().versions("orders"))
                .singleElement()
                .satisfies(version -> assertThat(version.lines()).isEqualTo(2));
    }

    @Test
    void linesOfALogGroupThatIsNoFunctionsAreRejected() throws IOException {
        JsonNode custom = invoke(delivery("/custom/shared", violationLine("c-1", "orders", "x:1")));
        JsonNode badName = invoke(delivery("/aws/lambda/us-east-1.edge", violationLine("c-2", null, "x:1")));

        assertThat(custom.get("rejected").asInt()).isEqualTo(1);
        assertThat(badName.get("rejected").asInt()).isEqualTo(1);
        assertThat(storedIds(null)).isEmpty();
    }

    @Test
    void aStoreFailureFailsTheBatchAndItsRedeliveryStoresEveryLine(Dynalite dynalite) throws IOException {
        String missingTables = Dynalite.newTablePrefix();
        handler = handlerOn(new DynamoDbStore(dynalite.client(), missingTables));
        String event =
                delivery(ORDERS_LOG, violationLine("r-1", "orders", "x:1"), violationLine("r-2", "orders", "y:2"));

        assertThatThrownBy(() -> invoke(event)).isInstanceOf(StoreException.class);

        DynamoDbStore created = new DynamoDbStore(dynalite.client(), missingTables);
        created.createTables();
        handler = handlerOn(created);
        store = created;
        assertThat(invoke(event).get("accepted").asInt()).isEqualTo(2);
        assertThat(storedIds("orders")).containsExactlyInAnyOrder("r-1", "r-2");
    }

    @Test
    void aControlMessageStoresNothing() throws IOException {
        var control = JSON.createObjectNode()
                .put("messageType", LogBatch.CONTROL_MESSAGE)
                .put("owner", "CloudwatchLogs")
                .put("logGroup", "")
                .put("logStream", "");
        control.putArray("subscriptionFilters");
        control.putArray("logEvents")
                .addObject()
                .put("id", "")
                .put("timestamp", 1_714_564_800_000L)
                .put("message", "CWL CONTROL MESSAGE: Checking health of destination Lambda Function.");

        JsonNode summary = invoke(CloudWatchLogsPayloads.event(control));

        assertThat(summary.get("messageType").asText()).isEqualTo(LogBatch.CONTROL_MESSAGE);
        assertThat(summary.get("accepted").asInt()).isZero();
        assertThat(summary.get("rejected").asInt()).isZero();
    }

    @Test
    void aPayloadThatIsNoDeliveryFailsTheInvocationWithWhatIsWrong() {
        assertThatThrownBy(() -> invoke("{\"awslogs\":{\"data\":\"not base64!\"}}"))
                .hasMessageContaining("awslogs.data is not base64");
        assertThatThrownBy(() -> invoke(CloudWatchLogsPayloads.event("plain".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("CloudWatch Logs payload");
        assertThatThrownBy(() -> invoke("{\"records\":[]}")).hasMessageContaining("no awslogs");
        byte[] bomb = CloudWatchLogsPayloads.gzip(new byte[LogBatch.MAX_DECODED_BYTES + 1]);
        assertThatThrownBy(() -> invoke(CloudWatchLogsPayloads.event(bomb)))
                .hasMessageContaining("decompresses to more than " + LogBatch.MAX_DECODED_BYTES + " bytes");
    }

    /** A delivery of these lines of a log stream of this log group. */
    static String delivery(String logGroup, String... messages) {
        return CloudWatchLogsPayloads.event(batch(logGroup, lambdaLogStream(), List.of(messages)));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = LogIngestHandlerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
