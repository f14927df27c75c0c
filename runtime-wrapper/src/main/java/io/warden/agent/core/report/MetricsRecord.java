package io.warden.agent.core.report;

import io.warden.policy.Category;
import io.warden.policy.MetricNames;
import io.warden.policy.internal.JsonWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch Embedded Metric Format records for one invocation's violations: {@code Blocked} and {@code Alerted} counts
 * in namespace {@code Warden}, by {@code [FunctionName]} and {@code [FunctionName, Category]}. One record per category
 * that had violations: an EMF record carries one value per dimension, and the {@code [FunctionName]} totals still add
 * up across the records.
 */
final class MetricsRecord {

    private MetricsRecord() {}

    /** @param counts {blocked per category, alerted per category} */
    static List<String> forInvocation(String functionName, int[][] counts, long timestampMillis) {
        List<String> records = new ArrayList<>();
        for (Category category : Category.values()) {
            int blocked = counts[0][category.ordinal()];
            int alerted = counts[1][category.ordinal()];
            if (blocked + alerted > 0) {
                records.add(record(functionName, category, blocked, alerted, timestampMillis));
            }
        }
        return records;
    }

    private static String record(
            String functionName, Category category, int blocked, int alerted, long timestampMillis) {
        JsonWriter out = new JsonWriter(384).startObject();
        out.name("_aws")
                .startObject()
                .name("Timestamp")
                .value(timestampMillis)
                .name("CloudWatchMetrics")
                .startArray()
                .startObject()
                .name("Namespace")
                .value(MetricNames.NAMESPACE)
                .name("Dimensions")
                .startArray()
                .startArray()
                .value(MetricNames.FUNCTION_NAME)
                .endArray()
                .startArray()
                .value(MetricNames.FUNCTION_NAME)
                .value(MetricNames.CATEGORY)
                .endArray()
                .endArray()
                .name("Metrics")
                .startArray();
        metric(out, MetricNames.BLOCKED);
        metric(out, MetricNames.ALERTED);
        out.endArray().endObject().endArray().endObject();
        return out.name(MetricNames.FUNCTION_NAME)
                .value(functionName)
                .name(MetricNames.CATEGORY)
                .value(category.jsonName())
                .name(MetricNames.BLOCKED)
                .value(blocked)
                .name(MetricNames.ALERTED)
                .value(alerted)
                .endObject()
                .toString();
    }

    /** One {@code AgentFailed} by {@code [FunctionName]}: the agent protects this function less than configured. */
    static String agentFailed(String functionName, long timestampMillis) {
        JsonWriter out = new JsonWriter(256).startObject();
        out.name("_aws")
                .startObject()
                .name("Timestamp")
                .value(timestampMillis)
                .name("CloudWatchMetrics")
                .startArray()
                .startObject()
                .name("Namespace")
                .value(MetricNames.NAMESPACE)
                .name("Dimensions")
                .startArray()
                .startArray()
                .value(MetricNames.FUNCTION_NAME)
                .endArray()
                .endArray()
                .name("Metrics")
                .startArray();
        metric(out, MetricNames.AGENT_FAILED);
        out.endArray().endObject().endArray().endObject();
        return out.name(MetricNames.FUNCTION_NAME)
                .value(functionName)
                .name(MetricNames.AGENT_FAILED)
                .value(1)
                .endObject()
                .toString();
    }

    private static void metric(JsonWriter out, String name) {
        out.startObject()
                .name("Name")
                .value(name)
                .name("Unit")
                .value(MetricNames.UNIT_COUNT)
                .endObject();
    }
}
