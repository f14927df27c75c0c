package io.warden.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.auth.Caller;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/reports}: a batch of violation events from one function's agent. Every event is checked before
 * anything is stored, so a bad batch stores nothing; events already stored (same id) are counted as duplicates.
 */
final class ReportRoutes {

    static final int MAX_REPORT_BYTES = 1024 * 1024;
    static final int MAX_EVENTS_PER_REPORT = 500;
    static final int MAX_EVENT_ID_CHARS = 128;
    static final int MAX_AGENT_VERSION_CHARS = 64;
    private static final Set<String> FIELDS = Set.of("function", "agentVersion", "mode", "events");

    private final Store store;
    private final Metrics metrics;
    private final Clock clock;

    ReportRoutes(Store store, Metrics metrics, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(Route.of("POST", "/v1/reports", Route.Access.AUTHENTICATED, this::post));
    }

    private ApiResponse post(ApiRequest request, Caller caller, List<String> pathParameters) {
        ObjectNode body = RequestBodies.jsonObject(request, MAX_REPORT_BYTES, "report");
        ApiJson.requireOnly(body, FIELDS, "report");
        String function = FunctionNames.require(ApiJson.text(body, "function", true, "report"), "report \"function\"");
        if (!caller.mayActFor(function)) {
            throw ApiException.forbidden(caller.description() + " may not report for function \"" + function + "\"");
        }
        String agentVersion = ApiJson.text(body, "agentVersion", false, "report");
        if (agentVersion != null && agentVersion.length() > MAX_AGENT_VERSION_CHARS) {
            throw ApiException.badRequest("report: \"agentVersion\" \"" + ApiJson.abbreviate(agentVersion)
                    + "\" is longer than " + MAX_AGENT_VERSION_CHARS + " characters");
        }
        String modeName = ApiJson.text(body, "mode", false, "report");
        Mode mode;
        try {
            mode = modeName == null ? null : Mode.parse(modeName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("report: " + e.getMessage());
        }
        Report report = new Report(function, agentVersion, mode, clock.instant(), events(body.get("events"), function));
        IngestResult result = store.ingest(report);
        metrics.report(result.accepted(), result.duplicates());
        return ApiResponse.json(202, Map.of("accepted", result.accepted(), "duplicates", result.duplicates()));
    }

    private static List<Violation> events(JsonNode events, String function) {
        if (events == null || events.isNull()) {
            throw ApiException.badRequest("report: \"events\" is missing");
        }
        if (!events.isArray()) {
            throw ApiException.badRequest("report: \"events\" must be an array, not " + ApiJson.abbreviate(events.toString()));
        }
        if (events.size() > MAX_EVENTS_PER_REPORT) {
            throw ApiException.badRequest("report: " + events.size() + " events are more than the " + MAX_EVENTS_PER_REPORT
                    + " one report may carry");
        }
        List<Violation> violations = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            violations.add(event(events.get(i), function, "report: events[" + i + "]"));
        }
        return violations;
    }

    private static Violation event(JsonNode node, String function, String where) {
        if (!node.isObject()) {
            throw ApiException.badRequest(where + ": must be a violation object, not " + ApiJson.abbreviate(node.toString()));
        }
        String id = ApiJson.text((ObjectNode) node, "id", true, where);
        if (id.isEmpty() || id.length() > MAX_EVENT_ID_CHARS || !id.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw ApiException.badRequest(where + ": \"id\" \"" + ApiJson.abbreviate(id) + "\" must be 1-" + MAX_EVENT_ID_CHARS
                    + " printable ASCII characters");
        }
        Violation violation;
        try {
            violation = ViolationJson.parse(node.toString());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + " (id " + id + "): " + e.getMessage());
        }
        if (violation.function() == null) {
            violation = violation.toBuilder().function(function).build();
        } else if (!violation.function().equals(function)) {
            throw ApiException.badRequest(where + " (id " + id + "): \"function\" \"" + ApiJson.abbreviate(violation.function())
                    + "\" differs from the report's \"" + function + "\"");
        }
        if (violation.time().toEpochMilli() < 0) {
            throw ApiException.badRequest(where + " (id " + id + "): \"time\" " + violation.time() + " is before 1970");
        }
        return violation;
    }
}
