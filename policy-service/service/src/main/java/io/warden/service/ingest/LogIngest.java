package io.warden.service.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.policy.Violation;
import io.warden.policy.observe.Observation;
import io.warden.service.api.AgentLines;
import io.warden.service.api.FunctionNames;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the agent's lines of a function's log as CloudWatch Logs delivers them through a subscription filter: its
 * violations, and its observations. The function is the one whose log group the lines come from
 * ({@value #FUNCTION_LOG_GROUP_PREFIX}NAME): a line naming another function is refused, so a function can write lines
 * for itself only. Each line is checked as {@code POST /v1/reports} or {@code POST /v1/observations} checks it; a line
 * that fails is counted and listed in the summary, and the rest of the batch is stored. Violations are stored by their
 * event id and observation lines merged once per id, so a batch delivered again stores and counts nothing twice (a line
 * from an agent before ids, which has none, is merged again). A store failure is thrown, so that Lambda retries the
 * whole batch.
 */
public final class LogIngest {

    public static final String FUNCTION_LOG_GROUP_PREFIX = "/aws/lambda/";
    /** Events per report to the store: the API's limit on one report. */
    static final int EVENTS_PER_REPORT = 500;
    /** Rejected lines named in a summary; the rest are only counted. */
    static final int REJECTIONS_LISTED = 20;

    private static final int REASON_CHARS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;

    public LogIngest(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The function whose log group this is, or null when it is not a Lambda function's. */
    public static String functionOf(String logGroup) {
        if (logGroup == null || !logGroup.startsWith(FUNCTION_LOG_GROUP_PREFIX)) {
            return null;
        }
        String name = logGroup.substring(FUNCTION_LOG_GROUP_PREFIX.length());
        return FunctionNames.isValid(name) ? name : null;
    }

    public IngestSummary ingest(LogBatch batch) {
        IngestSummary.Builder summary = new IngestSummary.Builder(batch, REJECTIONS_LISTED);
        if (LogBatch.CONTROL_MESSAGE.equals(batch.messageType())) {
            return summary.build();
        }
        String function = functionOf(batch.logGroup());
        String source = "line of log group " + batch.logGroup();
        List<Violation> violations = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        for (LogBatch.LogEvent event : batch.logEvents()) {
            if (function == null) {
                summary.reject(
                        event.id(),
                        "log group \"" + batch.logGroup() + "\" is not a Lambda function's ("
                                + FUNCTION_LOG_GROUP_PREFIX + "NAME), so the line's function is unknown");
                continue;
            }
            try {
                JsonNode line = eventLine(event.message());
                String kind = line == null ? null : line.path("warden").asText(null);
                if (Violation.KIND.equals(kind)) {
                    JsonNode id = line.get("id");
                    if (id == null || !id.isTextual()) {
                        throw new IllegalArgumentException(
                                source + ": violation without an \"id\", so it could not be stored once only");
                    }
                    violations.add(AgentLines.violation(event.message().strip(), id.asText(), function, source));
                } else if (Observation.KIND.equals(kind)) {
                    observations.add(AgentLines.observation(event.message().strip(), function, source));
                } else {
                    summary.ignore();
                }
            } catch (IllegalArgumentException e) {
                summary.reject(event.id(), abbreviate(e.getMessage()));
            }
        }
        for (int start = 0; start < violations.size(); start += EVENTS_PER_REPORT) {
            IngestResult stored = store.ingest(new Report(
                    function,
                    null,
                    null,
                    clock.instant(),
                    violations.subList(start, Math.min(violations.size(), start + EVENTS_PER_REPORT))));
            summary.stored(stored);
        }
        for (Observation observation : observations) {
            summary.observed(store.observations().record(observation));
        }
        return summary.function(function).build();
    }

    /** The line as a JSON object, or null when it is not one (not an event line: the filter pattern never sends it). */
    private static JsonNode eventLine(String message) {
        try {
            JsonNode tree = JSON.readTree(message);
            return tree != null && tree.isObject() ? tree : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= REASON_CHARS ? text : text.substring(0, REASON_CHARS) + "...";
    }
}
