package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Violation;
import io.warden.policy.observe.Observation;
import io.warden.service.ingest.LogIngest;
import io.warden.service.lambda.LogIngestHandler;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How violations and observations leave a protected function on AWS: a subscription filter selecting Warden's lines on the log
 * group of every function the template protects with the layer, delivering to the ingest function, which CloudWatch
 * Logs may invoke for this account's log groups only; a delivery that cannot be stored is retried and then kept, and
 * both that and rejected lines raise an alarm.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
class LogDeliveryTemplateTest {

    static final String FILTER_PATTERN =
            "{ ($.warden = \"" + Violation.KIND + "\") || ($.warden = \"" + Observation.KIND + "\") }";

    static Template template;

    @BeforeAll
    static void load() throws IOException {
        template = Template.load();
    }

    /** Subscription filters by the logical id of the log group they are on. */
    static Map<String, JsonNode> filtersByLogGroup() {
        Map<String, JsonNode> filters = new HashMap<>();
        template.resourcesOfType("AWS::Logs::SubscriptionFilter")
                .values()
                .forEach(filter ->
                        filters.put(filter.at("/Properties/LogGroupName/Ref").asText(), filter));
        return filters;
    }

    @Test
    void everyFunctionUnderTheLayerHasItsViolationsDeliveredToTheIngestFunction() {
        Map<String, JsonNode> filters = filtersByLogGroup();
        List<String> protectedFunctions = template.resourcesOfType("AWS::Serverless::Function").entrySet().stream()
                .filter(function -> function.getValue()
                        .at("/Properties/Layers")
                        .findValuesAsText("Ref")
                        .contains("WardenLayer"))
                .map(Map.Entry::getKey)
                .toList();

        assertThat(protectedFunctions).containsExactly("EgressDemoFunction");
        assertThat(filters.keySet())
                .as("the log groups of the protected functions, and no other (the ingest function's own: no loop)")
                .containsExactlyInAnyOrderElementsOf(protectedFunctions.stream()
                        .map(function -> function + "LogGroup")
                        .toList());
        filters.values().forEach(filter -> {
            assertThat(filter.at("/Properties/FilterPattern").asText()).isEqualTo(FILTER_PATTERN);
            assertThat(filter.at("/Properties/DestinationArn/Fn::GetAtt"))
                    .extracting(JsonNode::asText)
                    .containsExactly("LogIngestFunction", "Arn");
            assertThat(filter.path("DependsOn").asText())
                    .as("CloudWatch Logs checks it may invoke the destination when the filter is created")
                    .isEqualTo("LogIngestInvokePermission");
        });
        assertThat(template.resources()
                        .at("/EgressDemoFunctionLogGroup/Properties/LogGroupName/Fn::Sub")
                        .asText())
                .as("the ingest function takes the function's name from the log group's")
                .isEqualTo(LogIngest.FUNCTION_LOG_GROUP_PREFIX + "${EgressDemoFunction}");
    }

    @Test
    void onlyCloudWatchLogsOfThisAccountMayInvokeTheIngestFunction() {
        JsonNode permission = template.resources().at("/LogIngestInvokePermission/Properties");

        assertThat(permission.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(permission.path("Principal").asText()).isEqualTo("logs.amazonaws.com");
        assertThat(permission.at("/FunctionName/Fn::GetAtt"))
                .extracting(JsonNode::asText)
                .containsExactly("LogIngestFunction", "Arn");
        assertThat(permission.at("/SourceAccount/Ref").asText()).isEqualTo("AWS::AccountId");
        assertThat(permission.at("/SourceArn/Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*");
    }

    @Test
    void aDeliveryThatCannotBeStoredIsRetriedThenKeptAndRaisesTheAlarm() {
        JsonNode function = template.resources().at("/LogIngestFunction/Properties");

        assertThat(function.at("/EventInvokeConfig/MaximumRetryAttempts").asInt())
                .isEqualTo(2);
        assertThat(function.at("/DeadLetterQueue/Type").asText()).isEqualTo("SQS");
        assertThat(function.at("/DeadLetterQueue/TargetArn/Fn::GetAtt"))
                .extracting(JsonNode::asText)
                .containsExactly("LogIngestDeadLetterQueue", "Arn");
        assertThat(template.resources()
                        .at("/LogIngestDeadLetterQueue/Properties/MessageRetentionPeriod")
                        .asInt())
                .as("the longest SQS keeps a message: 14 days")
                .isEqualTo(1_209_600);
        JsonNode alarm = template.resources().at("/LogIngestFailedAlarm/Properties");
        assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/SQS");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(alarm.at("/Dimensions/0/Value/Fn::GetAtt"))
                .extracting(JsonNode::asText)
                .containsExactly("LogIngestDeadLetterQueue", "QueueName");
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.path("Threshold").asInt()).isZero();
        assertThat(alarm.at("/AlarmActions/0/Ref").asText()).isEqualTo("AlarmTopic");
    }

    @Test
    void rejectedLinesRaiseTheirAlarmOnTheMetricTheIngestFunctionEmits() {
        JsonNode alarm = template.resources().at("/LogIngestRejectedAlarm/Properties");

        CloudWatchTest.MetricQuery query =
                CloudWatchTest.emitted(alarm.at("/Metrics/0/Expression").asText());
        assertThat(query.metric()).isEqualTo(LogIngestHandler.REJECTED_METRIC);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.path("Threshold").asInt()).isZero();
        assertThat(alarm.at("/AlarmActions/0/Ref").asText()).isEqualTo("AlarmTopic");
    }
}
