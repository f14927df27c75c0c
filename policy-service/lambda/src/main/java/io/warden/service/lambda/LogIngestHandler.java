package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudWatchLogsEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.MetricNames;
import io.warden.service.ingest.IngestSummary;
import io.warden.service.ingest.LogBatch;
import io.warden.service.ingest.LogIngest;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The violations and observations of protected functions, delivered from their logs by CloudWatch Logs subscription
 * filters ({@code { ($.warden = "violation") || ($.warden = "observation") }}), stored in the service's tables
 * ({@link LogIngest}): the functions need no token and no network path to the service. Each delivery writes one summary line ({@code "warden": "ingest"}) and an
 * Embedded Metric Format record ({@code Warden / IngestAccepted} and {@code IngestRejected} by {@code FunctionName}).
 * A payload that is not a subscription delivery and a store failure fail the invocation, so Lambda retries it and,
 * after its retries, keeps it in the function's dead-letter queue: no delivered line is dropped.
 */
public final class LogIngestHandler implements RequestHandler<CloudWatchLogsEvent, String> {

    public static final String SUMMARY_KIND = "ingest";
    public static final String ACCEPTED_METRIC = "IngestAccepted";
    public static final String REJECTED_METRIC = "IngestRejected";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogIngest ingest;
    private final PrintStream out;
    private final Clock clock;

    /** Lambda's constructor: the service's tables as the environment names them, once per execution environment. */
    public LogIngestHandler() {
        this(
                new LogIngest(
                        new DynamoDbStore(
                                ServiceTables.client(System.getenv()), ServiceTables.tablePrefix(System.getenv())),
                        Clock.systemUTC()),
                System.out,
                Clock.systemUTC());
    }

    public LogIngestHandler(LogIngest ingest, PrintStream out, Clock clock) {
        this.ingest = ingest;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public String handleRequest(CloudWatchLogsEvent event, Context context) {
        if (event == null || event.getAwsLogs() == null) {
            throw new IllegalArgumentException("not a CloudWatch Logs subscription event: no awslogs");
        }
        IngestSummary summary = ingest.ingest(LogBatch.decode(event.getAwsLogs().getData()));
        String line = summaryLine(summary).toString();
        out.println(line);
        if (summary.function() != null || summary.rejected() > 0) {
            out.println(metricLine(summary));
        }
        return line;
    }

    static ObjectNode summaryLine(IngestSummary summary) {
        ObjectNode line = JSON.createObjectNode().put("warden", SUMMARY_KIND);
        line.put("messageType", summary.messageType());
        line.put("logGroup", summary.logGroup());
        line.put("logStream", summary.logStream());
        line.put("function", summary.function());
        line.put("lines", summary.lines());
        line.put("accepted", summary.accepted());
        line.put("duplicates", summary.duplicates());
        line.put("observations", summary.observations());
        line.put("duplicateObservations", summary.duplicateObservations());
        line.put("observedItems", summary.observedItems());
        line.put("refusedItems", summary.refusedItems());
        line.put("ignored", summary.ignored());
        line.put("rejected", summary.rejected());
        ArrayNode rejections = line.putArray("rejections");
        summary.rejections()
                .forEach(rejection -> rejections
                        .addObject()
                        .put("logEventId", rejection.logEventId())
                        .put("reason", rejection.reason()));
        return line;
    }

    private String metricLine(IngestSummary summary) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", MetricNames.NAMESPACE);
        directive.putArray("Dimensions").addArray().add(MetricNames.FUNCTION_NAME);
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", ACCEPTED_METRIC).put("Unit", MetricNames.UNIT_COUNT);
        metrics.addObject().put("Name", REJECTED_METRIC).put("Unit", MetricNames.UNIT_COUNT);
        root.put(MetricNames.FUNCTION_NAME, summary.function() == null ? summary.logGroup() : summary.function());
        root.put(ACCEPTED_METRIC, summary.accepted());
        root.put(REJECTED_METRIC, summary.rejected());
        return root.toString();
    }
}
