package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.service.auth.Caller;
import io.warden.service.store.EventTimes;
import io.warden.service.store.Store;
import io.warden.service.store.ViolationCursor;
import io.warden.service.store.ViolationPage;
import io.warden.service.store.ViolationQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** {@code GET /v1/violations}: stored violation events, newest first, filtered and paged with an opaque cursor. */
final class ViolationRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final Set<String> PARAMETERS =
            Set.of("function", "category", "action", "target", "since", "until", "limit", "cursor");

    private final Store store;

    ViolationRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/violations", Route.Access.READ, this::list));
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters query = QueryParameters.parse(request.rawQuery(), PARAMETERS);
        String function =
                query.get("function") == null ? null : FunctionNames.require(query.get("function"), "function");
        Category category = null;
        Action action = null;
        ViolationCursor cursor = null;
        try {
            if (query.get("category") != null) {
                category = Category.fromJsonName(query.get("category"));
            }
            if (query.get("action") != null) {
                action = Action.fromJsonName(query.get("action"));
                if (action == Action.ALLOWED) {
                    throw new IllegalArgumentException(
                            "action \"allowed\" is never a violation; use blocked or alerted");
                }
            }
            if (query.get("cursor") != null) {
                cursor = ViolationCursor.decode(query.get("cursor"));
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Instant since = instant(query, "since");
        Instant until = instant(query, "until");
        int limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT);
        ViolationPage page = store.violations(
                new ViolationQuery(function, category, action, query.get("target"), since, until, limit, cursor));
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ArrayNode violations = body.putArray("violations");
        try {
            for (String event : page.events()) {
                violations.add(ApiJson.MAPPER.readTree(event));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not JSON", e);
        }
        body.put("nextCursor", page.next() == null ? null : page.next().encode());
        return ApiResponse.json(200, body);
    }

    static Instant instant(QueryParameters query, String name) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        Instant time;
        try {
            time = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("\"" + name + "\" \"" + ApiJson.abbreviate(value)
                    + "\" is not an ISO-8601 UTC time such as 2024-05-01T12:00:00Z");
        }
        if (!EventTimes.contains(time)) {
            throw ApiException.badRequest("\"" + name + "\" " + time + " is " + EventTimes.describe());
        }
        return time;
    }
}
