package io.warden.service.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.api.FunctionNames;
import io.warden.service.store.EventIds;
import io.warden.service.store.EventTimes;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the violation lines of a function's log as CloudWatch Logs delivers them through a subscription filter. The
 * function is the one whose log group the lines come from ({@value #FUNCTION_LOG_GROUP_PREFIX}NAME): a line naming
 * another function is refused, so a function can write violations for itself only. Lines are stored by their event
 * id, so a batch delivered again stores nothing twice; a line that is not a valid violation is counted and listed in
 * the summary, and the rest of the batch is stored. A store failure is thrown, so that Lambda retries the whole batch.
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
        List<Violation> violations = new ArrayList<>();
        for (LogBatch.LogEvent event : batch.logEvents()) {
            if (function == null) {
                summary.reject(
                        event.id(),
                        "log group \"" + batch.logGroup() + "\" is not a Lambda function's ("
                                + FUNCTION_LOG_GROUP_PREFIX + "NAME), so the line's function is unknown");
                continue;
            }
            try {
                Violation violation = violation(event.message().strip(), function);
                if (violation == null) {
                    summary.ignore();
                } else {
                    violations.add(violation);
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
        return summary.function(function).build();
    }

    /**
     * The line's violation, or null when the line is not one of Warden's event lines.
     *
     * @throws IllegalArgumentException when it is a violation line that cannot be stored, saying why
     */
    private static Violation violation(String line, String function) {
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (JsonProcessingException notJson) {
            // Not an event line (the JSON filter pattern never delivers one; a subscription without it does).
            return null;
        }
        if (tree == null
                || !tree.isObject()
                || !Violation.KIND.equals(tree.path("warden").asText(null))) {
            return null;
        }
        JsonNode id = tree.get("id");
        if (id == null || !id.isTextual() || !EventIds.isValid(id.asText())) {
            throw new IllegalArgumentException("violation line without an \"id\" of " + EventIds.describe()
                    + ", so it could not be stored once only");
        }
        // Refuses a repeated field, so the id read above is the event's.
        Violation violation = ViolationJson.parse(line);
        if (violation.function() == null) {
            violation = violation.toBuilder().function(function).build();
        } else if (!violation.function().equals(function)) {
            throw new IllegalArgumentException("violation " + id.asText() + " names function \"" + violation.function()
                    + "\" but is in the log of \"" + function + "\"");
        }
        if (!EventTimes.contains(violation.time())) {
            throw new IllegalArgumentException(
                    "violation " + id.asText() + ": \"time\" " + violation.time() + " is " + EventTimes.describe());
        }
        return violation;
    }

    private static String abbreviate(String text) {
        return text.length() <= REASON_CHARS ? text : text.substring(0, REASON_CHARS) + "...";
    }
}
