package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAccount;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.CloudWatchFindingOutput;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.InMemoryFindingStore;
import io.warden.aws.scan.AwsScanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scan handlers on real EventBridge event JSON (the scheduled event as the Lambda Java runtime's serializer reads
 * it, CloudTrail events as the raw bytes Lambda passes to a stream handler), over the real {@link AwsScanner} and SDK
 * clients against the local fake AWS.
 */
class ScanHandlersTest {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final PojoSerializer<ScheduledEvent> SCHEDULED_EVENTS =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, ScanHandlersTest.class.getClassLoader());

    FakeAws aws;
    FakeAccount home;
    InMemoryFindingStore store;
    AwsScanner scanner;
    final List<String> logLines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy() throws IOException {
        aws = FakeAws.start(ACCOUNT);
        home = aws.home();
        home.function(REGION, "orders").runtime("java21").code(aws.code(AwsFixtures.plainFunction("orders")));
        home.function(REGION, "payments").runtime("java8").code(aws.code(AwsFixtures.plainFunction("payments")));
        store = new InMemoryFindingStore();
        scanner = new AwsScanner(
                AwsFixtures.settings(aws),
                aws.credentials(),
                store,
                null,
                new CloudWatchFindingOutput(logLines::add, AwsFixtures.TODAY));
    }

    @AfterEach
    void stop() {
        scanner.close();
        aws.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ScanHandlersTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static ScheduledEvent scheduledEvent(String name) throws IOException {
        return SCHEDULED_EVENTS.fromJson(new ByteArrayInputStream(resource(name)));
    }

    JsonNode deploy(byte[] event) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        new DeploymentEventHandler(scanner).handleRequest(new ByteArrayInputStream(event), answer, null);
        return JSON.readTree(answer.toByteArray());
    }

    List<String> scannedFunctions() {
        return store.functions().stream()
                .map(FunctionRecord::functionArn)
                .sorted()
                .toList();
    }

    @Test
    void scheduledEventScansEveryFunctionAndLogsItsFindings() throws IOException {
        JsonNode answer = JSON.readTree(
                new ScheduledScanHandler(scanner).handleRequest(scheduledEvent("scheduled-event.json"), null));

        assertThat(answer.get("event").asText()).isEqualTo("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
        assertThat(answer.get("functionsScanned").asInt()).isEqualTo(2);
        assertThat(answer.get("failures")).isEmpty();
        assertThat(scannedFunctions())
                .containsExactly(home.functionArn(REGION, "orders"), home.functionArn(REGION, "payments"));
        assertThat(answer.get("newFindings").asInt()).isPositive();
        assertThat(logLines)
                .anySatisfy(line ->
                        assertThat(JSON.readTree(line).path("rule").asText()).isEqualTo("runtime-deprecated"));
    }

    @Test
    void scheduledScanNamesWhatItCouldNotScanWithoutFailing() throws IOException {
        aws.fail("ListFunctions", 100, 403, "AccessDeniedException");

        JsonNode answer = JSON.readTree(
                new ScheduledScanHandler(scanner).handleRequest(scheduledEvent("scheduled-event.json"), null));

        assertThat(answer.get("functionsScanned").asInt()).isZero();
        assertThat(answer.at("/failures/0/resource").asText()).isEqualTo(ACCOUNT + "/" + REGION);
        assertThat(answer.at("/failures/0/reason").asText()).contains("listing functions failed");
    }

    @Test
    void scheduledHandlerRefusesOtherEventsWithoutScanning() throws IOException {
        ScheduledEvent cloudTrail = scheduledEvent("cloudtrail-update-function-code.json");

        assertThatThrownBy(() -> new ScheduledScanHandler(scanner).handleRequest(cloudTrail, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"AWS API Call via CloudTrail\"")
                .hasMessageContaining("a1b2c3d4-0001-4f76-80c9-8b7d4a4d2eaa");
        assertThat(aws.calls("ListFunctions")).isZero();
    }

    @Test
    void createFunctionScansOnlyTheNewFunction() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-create-function.json"));

        String payments = "arn:aws:lambda:eu-west-1:123456789012:function:payments";
        assertThat(answer.get("event").asText()).isEqualTo("a1b2c3d4-0002-4f76-80c9-8b7d4a4d2eaa");
        assertThat(answer.get("action").asText()).isEqualTo("CREATE_FUNCTION");
        assertThat(answer.get("function").asText()).isEqualTo(payments);
        assertThat(answer.get("functionsScanned").asInt()).isEqualTo(1);
        assertThat(scannedFunctions()).containsExactly(payments);
        assertThat(aws.calls("ListFunctions")).isZero();
    }

    @Test
    void publishedCodeRescansTheFunctionNotTheVersion() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-update-function-code.json"));

        assertThat(answer.get("function").asText()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:orders");
        assertThat(scannedFunctions()).containsExactly("arn:aws:lambda:eu-west-1:123456789012:function:orders");
    }

    @Test
    void configurationChangeRescansTheFunction() throws IOException {
        deploy(resource("cloudtrail-update-function-configuration.json"));

        assertThat(scannedFunctions()).containsExactly("arn:aws:lambda:eu-west-1:123456789012:function:orders");
    }

    @Test
    void publishedLayerVersionIsScanned() throws IOException {
        String layer = home.publishLayer(REGION, "shared-libs", aws.code(AwsFixtures.log4jFunction()));
        ObjectNode event = (ObjectNode) JSON.readTree(resource("cloudtrail-publish-layer-version.json"));
        ((ObjectNode) event.at("/detail/responseElements")).put("layerVersionArn", layer);

        JsonNode answer = deploy(JSON.writeValueAsBytes(event));

        assertThat(answer.get("layerVersion").asText()).isEqualTo(layer);
        assertThat(answer.get("layersScanned").asInt()).isEqualTo(1);
        assertThat(store.findLayer(layer)).isPresent();
        assertThat(store.functions()).isEmpty();
    }

    @Test
    void failedCallChangedNothingAndIsNotScanned() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-update-function-code-denied.json"));

        assertThat(answer.get("ignored").asText()).isEqualTo("the call failed: AccessDeniedException");
        assertThat(answer.get("functionsScanned").asInt()).isZero();
        assertThat(aws.calls("GetFunction")).isZero();
        assertThat(store.functions()).isEmpty();
    }

    @Test
    void otherCloudTrailEventsAreRefusedWithTheirName() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(resource("cloudtrail-update-function-code.json"));
        ((ObjectNode) event.get("detail")).put("eventName", "DeleteFunction20150331");

        assertThatThrownBy(() -> deploy(JSON.writeValueAsBytes(event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'DeleteFunction20150331' is not a deployment")
                .hasMessageContaining("a1b2c3d4-0001-4f76-80c9-8b7d4a4d2eaa");
        assertThat(aws.calls("GetFunction")).isZero();
    }

    @Test
    void scheduledEventIsNotADeployment() {
        assertThatThrownBy(() -> deploy(resource("scheduled-event.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detail-type 'Scheduled Event', source 'aws.events'");
        assertThat(aws.calls("GetFunction")).isZero();
    }

    @Test
    void responseWithoutAnArnIsAPreciseError() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(resource("cloudtrail-create-function.json"));
        ((ObjectNode) event.at("/detail/responseElements")).put("functionArn", "arn:aws:lambda:eu-west-1:payments");

        assertThatThrownBy(() -> deploy(JSON.writeValueAsBytes(event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'arn:aws:lambda:eu-west-1:payments' is not a Lambda function ARN");
        assertThat(aws.calls("GetFunction")).isZero();
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> deploy("{\"detail-type\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThat(aws.calls("GetFunction")).isZero();
    }
}
