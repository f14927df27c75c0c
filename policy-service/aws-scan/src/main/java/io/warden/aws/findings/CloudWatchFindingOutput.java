package io.warden.aws.findings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.MetricNames;
import io.warden.scanner.Severity;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes new findings as CloudWatch reads a Lambda function's output: one JSON log line per finding, and Embedded
 * Metric Format records counting them ({@code Warden / Findings} by {@code Severity}, and by {@code FunctionName} and
 * {@code Severity} for a function's findings).
 */
public final class CloudWatchFindingOutput implements FindingListener {
    public static final String LOG_TYPE = "warden.finding";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> lines;
    private final Clock clock;

    /** @param lines receives each line; a Lambda function passes standard output */
    public CloudWatchFindingOutput(Consumer<String> lines, Clock clock) {
        this.lines = lines;
        this.clock = clock;
    }

    @Override
    public void newFindings(String functionName, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : findings) {
            lines.accept(logLine(functionName, f));
            counts.merge(f.severity(), 1, Integer::sum);
        }
        counts.forEach((severity, count) -> lines.accept(metricLine(functionName, severity, count)));
    }

    private static String logLine(String functionName, Finding f) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", LOG_TYPE);
        line.put("level", "WARN");
        line.put("resource", f.resourceArn());
        if (functionName != null) {
            line.put("functionName", functionName);
        }
        line.put("findingType", f.type().lowerCase());
        line.put("rule", f.rule());
        line.put("severity", f.severity().name());
        line.put("subject", f.subject());
        line.put("title", f.title());
        line.put("remediation", f.remediation());
        return line.toString();
    }

    private String metricLine(String functionName, Severity severity, int count) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", MetricNames.NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add(MetricNames.SEVERITY);
        if (functionName != null) {
            dimensions.addArray().add(MetricNames.FUNCTION_NAME).add(MetricNames.SEVERITY);
        }
        directive
                .putArray("Metrics")
                .addObject()
                .put("Name", MetricNames.FINDINGS)
                .put("Unit", MetricNames.UNIT_COUNT);
        root.put(MetricNames.SEVERITY, severity.name());
        if (functionName != null) {
            root.put(MetricNames.FUNCTION_NAME, functionName);
        }
        root.put(MetricNames.FINDINGS, count);
        return root.toString();
    }
}
