package io.warden.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.auth.Caller;
import io.warden.service.store.EventIds;
import io.warden.service.store.EventTimes;
import io.warden.service.store.Store;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/observations}: one observation line of an agent (what its function did, docs/api.md), read by the
 * agent's own parser and checked whole before anything is stored, then merged into the function's stored observations
 * once per id (a line posted again is answered as stored, and changes nothing); and
 * {@code GET /v1/functions/{function}/observations}: what is stored.
 */
final class ObservationRoutes {

    static final int MAX_OBSERVATION_BYTES = ReportRoutes.MAX_REPORT_BYTES;
    /** Longest identity (an item's key: its identifying fields) and caller stored, in characters. */
    static final int MAX_IDENTITY_CHARS = 8_192;
    /** What a Lambda function version is: {@code $LATEST} or a number (and locally any such word). */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9$._-]{1,64}");
    /** The version of a line that names none (an agent outside Lambda). */
    static final String NO_VERSION = "unversioned";

    private final Store store;
    private final Metrics metrics;

    ObservationRoutes(Store store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/observations", Route.Access.AUTHENTICATED, MAX_OBSERVATION_BYTES, this::post),
                Route.of("GET", "/v1/functions/{function}/observations", Route.Access.READ, this::get));
    }

    private ApiResponse post(ApiRequest request, Caller caller, List<String> pathParameters) {
        RequestBodies.requireContentType(request, ApiResponse.JSON);
        String text = RequestBodies.utf8(RequestBodies.bytes(request, MAX_OBSERVATION_BYTES), "observation");
        Observation observation = parse(text, caller);
        ObservationStore.RecordResult result = store.observations().record(observation);
        metrics.observation(result);
        return ApiResponse.json(
                202,
                Map.of("accepted", result.accepted(), "refused", result.refused(), "duplicate", result.duplicate()));
    }

    /**
     * The line as the agent's own parser reads it ({@link ObservationJson#parse}), with what the store needs checked:
     * an id as violation events have (or none, from an agent before ids), a function the caller may report for, a
     * version (or {@value #NO_VERSION}), identities short enough to store.
     */
    static Observation parse(String text, Caller caller) {
        Observation observation;
        try {
            observation = ObservationJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("observation: " + e.getMessage());
        }
        if (observation.id() != null && !EventIds.isValid(observation.id())) {
            throw ApiException.badRequest("observation: \"id\" \"" + ApiJson.abbreviate(observation.id())
                    + "\" must be " + EventIds.describe());
        }
        String function = FunctionNames.require(observation.function(), "observation \"function\"");
        if (!caller.mayActFor(function)) {
            throw ApiException.forbidden(caller.description() + " may not report for function \"" + function + "\"");
        }
        String version = observation.functionVersion();
        if (version == null) {
            version = NO_VERSION;
        } else if (!VERSION.matcher(version).matches()) {
            throw ApiException.badRequest("observation: \"functionVersion\" \"" + ApiJson.abbreviate(version)
                    + "\" is not a function version (1-64 letters, digits, $ . _ -)");
        }
        if (!EventTimes.contains(observation.time())) {
            throw ApiException.badRequest(
                    "observation: \"time\" " + observation.time() + " is " + EventTimes.describe());
        }
        for (int i = 0; i < observation.items().size(); i++) {
            ObservedItem item = observation.items().get(i);
            int length = Math.max(
                    item.key().length(),
                    item.caller() == null ? 0 : item.caller().length());
            if (length > MAX_IDENTITY_CHARS) {
                throw ApiException.badRequest("observation: items[" + i + "] (" + item.kind() + "): its fields are "
                        + length + " characters long, more than the " + MAX_IDENTITY_CHARS + " stored");
            }
        }
        return new Observation(
                observation.id(),
                function,
                version,
                observation.account(),
                observation.region(),
                observation.requestId(),
                observation.time(),
                observation.mode(),
                observation.dropped(),
                observation.items());
    }

    private ApiResponse get(ApiRequest request, Caller caller, List<String> pathParameters) {
        String function = FunctionNames.require(pathParameters.get(0), "path");
        String version =
                QueryParameters.parse(request.rawQuery(), Set.of("version")).get("version");
        ObservationStore observations = store.observations();
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("function", function);
        ObjectNode totals = body.putObject("totals");
        ObservationTotals stored = observations.totals(function).orElse(new ObservationTotals(0, 0, 0, 0));
        totals.put("items", stored.items());
        totals.put("versions", stored.versions());
        totals.put("refusedItems", stored.refusedItems());
        totals.put("refusedLines", stored.refusedLines());
        totals.put("maxItems", observations.limits().maxItems());
        totals.put("maxVersions", observations.limits().maxVersions());
        ArrayNode versions = body.putArray("versions");
        for (ObservedVersion observed : observations.versions(function)) {
            versions.add(versionJson(observed));
        }
        ArrayNode items = body.putArray("items");
        for (StoredItem item : observations.items(function, version)) {
            items.add(itemJson(item));
        }
        return ApiResponse.json(200, body);
    }

    static ObjectNode versionJson(ObservedVersion version) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("version", version.version());
        node.put("lines", version.lines());
        node.put("firstSeen", version.firstSeen().toString());
        node.put("lastSeen", version.lastSeen().toString());
        node.put("dropped", version.dropped());
        node.put("refusedItems", version.refusedItems());
        return node;
    }

    /** A stored item as the line wrote it, its count the merged one, and when it was first and last seen. */
    static ObjectNode itemJson(StoredItem stored) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("version", stored.version());
        try {
            node.setAll((ObjectNode) ApiJson.MAPPER.readTree(ObservationJson.toJson(stored.item())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        node.put("firstSeen", stored.firstSeen().toString());
        node.put("lastSeen", stored.lastSeen().toString());
        return node;
    }
}
