package io.warden.aws.scan;

import static io.warden.aws.AwsFixtures.HOME;
import static io.warden.aws.AwsFixtures.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAccount;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.InMemoryFindingStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Deployment events as EventBridge delivers CloudTrail records of Lambda API calls. */
@Tag("fast")
class DeploymentEventTest {

    /** The shape EventBridge gives a CloudTrail management event (abridged request and response). */
    static String event(String eventName, String requestParameters, String responseElements, String error) {
        return """
                {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                 "detail-type": "AWS API Call via CloudTrail", "source": "aws.lambda", "account": "111111111111",
                 "time": "2026-03-01T12:00:00Z", "region": "eu-west-1", "resources": [],
                 "detail": {"eventVersion": "1.08", "eventTime": "2026-03-01T12:00:00Z",
                   "eventSource": "lambda.amazonaws.com", "eventName": "%s", "awsRegion": "eu-west-1",
                   "sourceIPAddress": "203.0.113.7", "userAgent": "aws-cli/2.15.0",
                   %s
                   "requestParameters": %s, "responseElements": %s,
                   "requestID": "c1d2", "eventID": "e3f4", "readOnly": false, "eventType": "AwsApiCall",
                   "managementEvent": true, "recipientAccountId": "111111111111", "eventCategory": "Management"}}
                """.formatted(
                        eventName,
                        error == null ? "" : "\"errorCode\": \"" + error + "\",",
                        requestParameters,
                        responseElements);
    }

    private static DeploymentEvent parse(String json) throws Exception {
        return DeploymentEvent.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesEachDeploymentCallWhateverItsApiVersionSuffix() throws Exception {
        DeploymentEvent code = parse(event(
                "UpdateFunctionCode20150331v2",
                "{\"functionName\": \"orders\"}",
                "{\"functionName\": \"orders\", \"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:function:orders\"}",
                null));
        assertThat(code)
                .isEqualTo(new DeploymentEvent(
                        "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                        DeploymentEvent.Action.UPDATE_FUNCTION_CODE,
                        HOME,
                        REGION,
                        "arn:aws:lambda:eu-west-1:111111111111:function:orders",
                        null));
        assertThat(parse(event("CreateFunction20150331", "{\"functionName\": \"new-fn\"}", "null", null))
                        .target())
                .isEqualTo("new-fn");
        assertThat(parse(event("UpdateFunctionConfiguration20150331v2", "{\"functionName\": \"f\"}", "{}", null))
                        .action())
                .isEqualTo(DeploymentEvent.Action.UPDATE_FUNCTION_CONFIGURATION);
        DeploymentEvent layer = parse(event(
                "PublishLayerVersion20181031",
                "{\"layerName\": \"warden\"}",
                "{\"layerVersionArn\": \"arn:aws:lambda:eu-west-1:111111111111:layer:warden:3\", \"version\": 3}",
                null));
        assertThat(layer.action().isLayer()).isTrue();
        assertThat(layer.target()).isEqualTo("arn:aws:lambda:eu-west-1:111111111111:layer:warden:3");
        DeploymentEvent failed = parse(event(
                "UpdateFunctionCode20150331v2", "{\"functionName\": \"f\"}", "null", "ResourceConflictException"));
        assertThat(failed.failed()).isTrue();
        assertThat(failed.errorCode()).isEqualTo("ResourceConflictException");
        assertThat(failed.target()).isNull();
        assertThat(code.failed()).isFalse();
    }

    @Test
    void aPublishedVersionNamesItsFunction() throws Exception {
        DeploymentEvent published = parse(event(
                "UpdateFunctionCode20150331v2",
                "{\"functionName\": \"orders\"}",
                "{\"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:function:orders:7\"}",
                null));
        DeploymentEvent alias = parse(event(
                "UpdateFunctionConfiguration20150331v2",
                "{}",
                "{\"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:function:orders:live\"}",
                null));

        assertThat(published.target()).isEqualTo("arn:aws:lambda:eu-west-1:111111111111:function:orders");
        assertThat(alias.target()).isEqualTo("arn:aws:lambda:eu-west-1:111111111111:function:orders");
    }

    @Test
    void arnsThatAreNotAFunctionOrALayerVersionAreNamed() {
        assertThatThrownBy(() -> parse(event(
                        "CreateFunction20150331",
                        "{}",
                        "{\"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:layer:orders:1\"}",
                        null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "'arn:aws:lambda:eu-west-1:111111111111:layer:orders:1' is not a Lambda function ARN")
                .hasMessageContaining("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
        assertThatThrownBy(() -> parse(event(
                        "PublishLayerVersion20181031",
                        "{}",
                        "{\"layerVersionArn\": \"arn:aws:lambda:eu-west-1:111111111111:layer:shared-libs\"}",
                        null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "not a layer version ARN: 'arn:aws:lambda:eu-west-1:111111111111:layer:shared-libs'");
        assertThatThrownBy(() -> parse(event("PublishLayerVersion20181031", "{}", "null", null)))
                .hasMessageContaining("responseElements.layerVersionArn is not a layer version ARN: ''");
    }

    @Test
    void readsTheEventAsTheLambdaEventsLibraryDeliversIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = json.readValue(
                event(
                        "CreateFunction20150331",
                        "{\"functionName\": \"fn\"}",
                        "{\"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:function:fn\"}",
                        null),
                Map.class);
        ScheduledEvent delivered = new ScheduledEvent()
                .withDetailType((String) raw.get("detail-type"))
                .withSource((String) raw.get("source"))
                .withAccount((String) raw.get("account"))
                .withRegion((String) raw.get("region"));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) raw.get("detail");
        delivered.setDetail(detail);
        assertThat(DeploymentEvent.of(delivered).target())
                .isEqualTo("arn:aws:lambda:eu-west-1:111111111111:function:fn");
    }

    @Test
    void rejectsWhatIsNotADeploymentNamingTheValue() {
        assertThatThrownBy(() -> parse(event("Invoke", "{}", "{}", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Invoke'");
        assertThatThrownBy(() -> parse(event("UpdateFunctionCode20150331v2", "{}", "{}", null)))
                .hasMessageContaining("names no responseElements.functionArn");
        assertThatThrownBy(() -> parse("{\"detail-type\": \"Scheduled Event\", \"source\": \"aws.events\"}"))
                .hasMessageContaining("'Scheduled Event'")
                .hasMessageContaining("'aws.events'");
        assertThatThrownBy(() -> parse("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void aDeploymentEventRescansOnlyThatFunctionAndAPublishedLayerIsScanned() throws Exception {
        try (FakeAws aws = FakeAws.start(HOME)) {
            FakeAccount home = aws.home();
            String old = aws.code(AwsFixtures.plainFunction("old"));
            home.function(REGION, "orders").runtime("java21").code(old);
            home.function(REGION, "other").runtime("java21").code(aws.code(AwsFixtures.plainFunction("other")));
            InMemoryFindingStore store = new InMemoryFindingStore();
            try (AwsScanner scanner =
                    new AwsScanner(AwsFixtures.settings(aws), aws.credentials(), store, null, FindingListener.NONE)) {
                scanner.scanAll();
                byte[] log4j = AwsFixtures.log4jFunction();
                String updated = aws.code(log4j);
                home.function(REGION, "orders").runtime("java21").code(updated);
                int before = aws.calls("GetFunction");

                ScanReport report = scanner.handle(parse(event(
                        "UpdateFunctionCode20150331v2",
                        "{\"functionName\": \"orders\"}",
                        "{\"functionArn\": \"arn:aws:lambda:eu-west-1:111111111111:function:orders\"}",
                        null)));

                assertThat(report.functionsScanned()).isEqualTo(1);
                assertThat(report.packagesDownloaded()).isEqualTo(1);
                assertThat(aws.downloads(updated)).isEqualTo(1);
                assertThat(aws.calls("GetFunction") - before).isEqualTo(2);
                assertThat(store.findFunction(home.functionArn(REGION, "orders"))
                                .orElseThrow()
                                .codeSha256())
                        .isEqualTo(updated);

                String layer = home.publishLayer(REGION, "shared-libs", aws.code(log4j));
                ScanReport layerReport = scanner.handle(parse(
                        event("PublishLayerVersion20181031", "{}", "{\"layerVersionArn\": \"" + layer + "\"}", null)));
                assertThat(layerReport.layersScanned()).isEqualTo(1);
                assertThat(store.findLayer(layer)).isPresent();
                assertThat(layerReport.layersDownloaded()).isZero();

                home.deleteFunction(REGION, "other");
                ScanReport gone = scanner.handle(parse(
                        event("UpdateFunctionConfiguration20150331v2", "{\"functionName\": \"other\"}", "null", null)));
                assertThat(gone.failures())
                        .singleElement()
                        .satisfies(f -> assertThat(f.reason()).contains("no such function"));
                assertThat(store.functions())
                        .extracting(FunctionRecord::functionName)
                        .containsExactly("orders");
            }
        }
    }
}
