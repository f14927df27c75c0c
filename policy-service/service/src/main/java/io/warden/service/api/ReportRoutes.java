package io.warden.service.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.auth.Caller;
import io.warden.service.store.EventIds;
import io.warden.service.store.EventTimes;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        return List.of(Route.of("POST", "/v1/reports", Route.Access.AUTHENTICATED, MAX_REPORT_BYTES, this::post));
    }

    private ApiResponse post(ApiRequest request, Caller caller, List<String> pathParameters) {
        RequestBodies.requireContentType(request, ApiResponse.JSON);
        String text = RequestBodies.utf8(RequestBodies.bytes(request, MAX_REPORT_BYTES), "report");
        ParsedReport parsed;
        try {
            parsed = ParsedReport.read(text);
        } catch (JsonProcessingException e) {
            throw RequestBodies.malformed("report", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String function = FunctionNames.require(parsed.function, "report \"function\"");
        if (!caller.mayActFor(function)) {
            throw ApiException.forbidden(caller.description() + " may not report for function \"" + function + "\"");
        }
        if (parsed.agentVersion != null && parsed.agentVersion.length() > MAX_AGENT_VERSION_CHARS) {
            throw ApiException.badRequest("report: \"agentVersion\" \"" + ApiJson.abbreviate(parsed.agentVersion)
                    + "\" is longer than " + MAX_AGENT_VERSION_CHARS + " characters");
        }
        Mode mode;
        try {
            mode = parsed.mode == null ? null : Mode.parse(parsed.mode);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("report: " + e.getMessage());
        }
        List<Violation> events = new ArrayList<>(parsed.events.size());
        for (int i = 0; i < parsed.events.size(); i++) {
            events.add(event(parsed.events.get(i), parsed.eventIds.get(i), function, "report: events[" + i + "]"));
        }
        IngestResult result = store.ingest(new Report(function, parsed.agentVersion, mode, clock.instant(), events));
        metrics.report(result.accepted(), result.duplicates());
        return ApiResponse.json(202, Map.of("accepted", result.accepted(), "duplicates", result.duplicates()));
    }

    static Violation event(String text, String id, String function, String where) {
        if (!EventIds.isValid(id)) {
            throw ApiException.badRequest(
                    where + ": \"id\" \"" + ApiJson.abbreviate(id) + "\" must be " + EventIds.describe());
        }
        Violation violation;
        try {
            violation = ViolationJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + " (id " + id + "): " + e.getMessage());
        }
        if (violation.function() == null) {
            violation = violation.toBuilder().function(function).build();
        } else if (!violation.function().equals(function)) {
            throw ApiException.badRequest(where + " (id " + id + "): \"function\" \""
                    + ApiJson.abbreviate(violation.function()) + "\" differs from the report's \"" + function + "\"");
        }
        if (!EventTimes.contains(violation.time())) {
            throw ApiException.badRequest(
                    where + " (id " + id + "): \"time\" " + violation.time() + " is " + EventTimes.describe());
        }
        return violation;
    }

    /**
     * The report's fields, read in one streaming pass: each event is kept as its JSON text for the shared
     * {@link ViolationJson#parse}, with its top-level {@code id} (which that parser would otherwise make up).
     */
    private static final class ParsedReport {
        String function;
        String agentVersion;
        String mode;
        final List<String> events = new ArrayList<>();
        final List<String> eventIds = new ArrayList<>();

        static ParsedReport read(String text) throws IOException {
            ParsedReport report = new ParsedReport();
            boolean sawEvents = false;
            try (JsonParser json = ApiJson.MAPPER.getFactory().createParser(text)) {
                json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                JsonToken first = json.nextToken();
                if (first != JsonToken.START_OBJECT) {
                    throw ApiException.badRequest("report: expected a JSON object, not "
                            + (first == null ? "an empty body" : ApiJson.abbreviate(json.getText())));
                }
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    JsonToken value = json.nextToken();
                    switch (name) {
                        case "function" -> report.function = string(json, name);
                        case "agentVersion" -> report.agentVersion = string(json, name);
                        case "mode" -> report.mode = string(json, name);
                        case "events" -> {
                            sawEvents = true;
                            report.readEvents(json, text, value);
                        }
                        default ->
                            throw ApiException.badRequest("report: unknown field \"" + ApiJson.abbreviate(name)
                                    + "\"; expected "
                                    + String.join(", ", FIELDS.stream().sorted().toList()));
                    }
                }
                if (json.nextToken() != null) {
                    throw ApiException.badRequest("report: unexpected content after the report object");
                }
            }
            if (report.function == null) {
                throw ApiException.badRequest("report: \"function\" is missing");
            }
            if (!sawEvents) {
                throw ApiException.badRequest("report: \"events\" is missing");
            }
            return report;
        }

        private void readEvents(JsonParser json, String text, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                throw ApiException.badRequest(
                        "report: \"events\" must be an array, not " + ApiJson.abbreviate(json.getText()));
            }
            for (JsonToken token; (token = json.nextToken()) != JsonToken.END_ARRAY; ) {
                String where = "report: events[" + events.size() + "]";
                if (events.size() == MAX_EVENTS_PER_REPORT) {
                    throw ApiException.badRequest(
                            "report: more than the " + MAX_EVENTS_PER_REPORT + " events one report may carry");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw ApiException.badRequest(
                            where + ": must be a violation object, not " + ApiJson.abbreviate(json.getText()));
                }
                int start = (int) json.currentTokenLocation().getCharOffset();
                String id = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken fieldValue = json.nextToken();
                    if (field.equals("id")) {
                        if (fieldValue != JsonToken.VALUE_STRING) {
                            throw ApiException.badRequest(
                                    where + ": \"id\" must be a string, not " + ApiJson.abbreviate(json.getText()));
                        }
                        id = json.getText();
                    }
                    json.skipChildren();
                }
                int end = (int) json.currentLocation().getCharOffset();
                if (id == null) {
                    throw ApiException.badRequest(where + ": \"id\" is missing");
                }
                events.add(text.substring(start, end));
                eventIds.add(id);
            }
        }

        private static String string(JsonParser json, String name) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (json.currentToken() != JsonToken.VALUE_STRING) {
                throw ApiException.badRequest(
                        "report: \"" + name + "\" must be a string, not " + ApiJson.abbreviate(json.getText()));
            }
            return json.getText();
        }
    }
}
