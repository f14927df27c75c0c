package io.warden.agent.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warden.policy.Category;
import io.warden.policy.MetricNames;
import java.io.IOException;
import java.io.StringWriter;
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
    static List<String> forInvocation(JsonFactory json, String functionName, int[][] counts, long timestampMillis) {
        List<String> records = new ArrayList<>();
        for (Category category : Category.values()) {
            int blocked = counts[0][category.ordinal()];
            int alerted = counts[1][category.ordinal()];
            if (blocked + alerted > 0) {
                records.add(record(json, functionName, category, blocked, alerted, timestampMillis));
            }
        }
        return records;
    }

    private static String record(JsonFactory json, String functionName, Category category, int blocked, int alerted,
            long timestampMillis) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = json.createGenerator(text)) {
            out.writeStartObject();
            out.writeObjectFieldStart("_aws");
            out.writeNumberField("Timestamp", timestampMillis);
            out.writeArrayFieldStart("CloudWatchMetrics");
            out.writeStartObject();
            out.writeStringField("Namespace", MetricNames.NAMESPACE);
            out.writeArrayFieldStart("Dimensions");
            out.writeStartArray();
            out.writeString(MetricNames.FUNCTION_NAME);
            out.writeEndArray();
            out.writeStartArray();
            out.writeString(MetricNames.FUNCTION_NAME);
            out.writeString(MetricNames.CATEGORY);
            out.writeEndArray();
            out.writeEndArray();
            out.writeArrayFieldStart("Metrics");
            metric(out, MetricNames.BLOCKED);
            metric(out, MetricNames.ALERTED);
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
            out.writeStringField(MetricNames.FUNCTION_NAME, functionName);
            out.writeStringField(MetricNames.CATEGORY, category.jsonName());
            out.writeNumberField(MetricNames.BLOCKED, blocked);
            out.writeNumberField(MetricNames.ALERTED, alerted);
            out.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return text.toString();
    }

    private static void metric(JsonGenerator out, String name) throws IOException {
        out.writeStartObject();
        out.writeStringField("Name", name);
        out.writeStringField("Unit", MetricNames.UNIT_COUNT);
        out.writeEndObject();
    }
}
