package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scan handlers on real EventBridge event JSON: the scheduled event as the Lambda Java runtime's serializer reads
 * it, and CloudTrail events through EventBridge as the raw bytes Lambda passes to a stream handler.
 */
class ScanHandlersTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final PojoSerializer<ScheduledEvent> SCHEDULED_EVENTS =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, ScanHandlersTest.class.getClassLoader());

    @BeforeEach
    void forgetEarlierCalls() {
        RecordingAwsScan.takeCalls();
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

    /** Runs the event through a handler made by Lambda's no-argument constructor and returns its answer. */
    static JsonNode deploy(byte[] event) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        new DeploymentEventHandler().handleRequest(new ByteArrayInputStream(event), answer, null);
        return JSON.readTree(answer.toByteArray());
    }

    @Test
    void scheduledEventRunsOneFullScan() throws IOException {
        String answer = new ScheduledScanHandler().handleRequest(scheduledEvent("scheduled-event.json"), null);

        assertThat(RecordingAwsScan.takeCalls()).containsExactly("scanAll");
        assertThat(answer).contains("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
    }

    @Test
    void scheduledHandlerRefusesOtherEventsWithoutScanning() throws IOException {
        ScheduledEvent cloudTrail = scheduledEvent("cloudtrail-update-function-code.json");

        assertThatThrownBy(() -> new ScheduledScanHandler().handleRequest(cloudTrail, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"AWS API Call via CloudTrail\"")
                .hasMessageContaining("a1b2c3d4-0001-4f76-80c9-8b7d4a4d2eaa");
        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
    }

    @Test
    void createFunctionRescansTheNewFunction() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-create-function.json"));

        assertThat(RecordingAwsScan.takeCalls())
                .containsExactly("function arn:aws:lambda:eu-west-1:123456789012:function:payments");
        assertThat(answer.get("eventName").asText()).isEqualTo("CreateFunction20150331");
        assertThat(answer.get("scannedFunction").asText()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:payments");
    }

    @Test
    void publishedCodeRescansTheFunctionNotTheVersion() throws IOException {
        deploy(resource("cloudtrail-update-function-code.json"));

        assertThat(RecordingAwsScan.takeCalls())
                .containsExactly("function arn:aws:lambda:eu-west-1:123456789012:function:orders");
    }

    @Test
    void configurationChangeRescansTheFunction() throws IOException {
        deploy(resource("cloudtrail-update-function-configuration.json"));

        assertThat(RecordingAwsScan.takeCalls())
                .containsExactly("function arn:aws:lambda:eu-west-1:123456789012:function:orders");
    }

    @Test
    void publishedLayerVersionIsScanned() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-publish-layer-version.json"));

        assertThat(RecordingAwsScan.takeCalls())
                .containsExactly("layer arn:aws:lambda:eu-west-1:123456789012:layer:shared-libs:12");
        assertThat(answer.get("scannedLayerVersion").asText()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:layer:shared-libs:12");
    }

    @Test
    void failedCallChangedNothingAndIsNotScanned() throws IOException {
        JsonNode answer = deploy(resource("cloudtrail-update-function-code-denied.json"));

        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
        assertThat(answer.get("ignored").asText()).isEqualTo("the call failed: AccessDeniedException");
    }

    @Test
    void otherCloudTrailEventsAreRefusedWithTheirName() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(resource("cloudtrail-update-function-code.json"));
        ((ObjectNode) event.get("detail")).put("eventName", "DeleteFunction20150331");

        assertThatThrownBy(() -> deploy(JSON.writeValueAsBytes(event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"DeleteFunction20150331\" is not a deployment");
        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
    }

    @Test
    void scheduledEventIsNotADeployment() {
        assertThatThrownBy(() -> deploy(resource("scheduled-event.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source \"aws.events\", detail-type \"Scheduled Event\"");
        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
    }

    @Test
    void responseWithoutAnArnIsAPreciseError() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(resource("cloudtrail-create-function.json"));
        ((ObjectNode) event.at("/detail/responseElements")).put("functionArn", "payments");

        assertThatThrownBy(() -> deploy(JSON.writeValueAsBytes(event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("responseElements.functionArn (found \"payments\")");
        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> deploy("{\"detail-type\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(RecordingAwsScan.takeCalls()).isEmpty();
    }
}
