package io.warden.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Mode;
import io.warden.service.auth.Caller;
import io.warden.service.store.EventTimes;
import io.warden.service.store.Store;
import io.warden.service.store.observations.ObservationLine;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedItem;
import io.warden.service.store.observations.ObservedVersion;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/observations}: one observation line of an agent (what its function did, docs/api.md), checked whole
 * before anything is stored, then merged into the function's stored observations; and
 * {@code GET /v1/functions/{function}/observations}: what is stored.
 */
final class ObservationRoutes {

    static final int MAX_OBSERVATION_BYTES = ReportRoutes.MAX_REPORT_BYTES;
    static final int MAX_ITEMS_PER_LINE = 1_000;
    static final int MAX_TEXT_CHARS = 4_096;
    static final int MAX_ARGS = 256;
    static final int MAX_RESOURCES = 32;
    /** What a Lambda function version is: {@code $LATEST} or a number (and locally any such word). */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9$._-]{1,64}");
    /** The version of a line that names none (an agent outside Lambda). */
    static final String NO_VERSION = "unversioned";

    private static final Set<String> FIELDS = Set.of(
            "warden",
            "version",
            "function",
            "functionVersion",
            "account",
            "region",
            "requestId",
            "time",
            "mode",
            "dropped",
            "items");
    private static final Set<String> ITEM_FIELDS = Set.of("kind", "count", "caller");
    /** Per kind, its identifying fields and which of them are required. */
    private static final Map<String, Map<String, Boolean>> KINDS = Map.of(
            "network", Map.of("host", false, "address", false, "port", true),
            "dns", Map.of("name", true),
            "file", Map.of("operation", true, "path", true),
            "process", Map.of("program", true, "args", false),
            "native", Map.of("path", true),
            "jndi", Map.of("name", true),
            "deserialization", Map.of("class", true),
            "aws", Map.of("service", true, "operation", true, "region", false, "resources", false, "error", false));

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
        ObjectNode body = RequestBodies.jsonObject(request, MAX_OBSERVATION_BYTES, "observation");
        ObservationLine line = parse(body, caller);
        ObservationStore.RecordResult result = store.observations().record(line);
        metrics.observation(result.refused());
        return ApiResponse.json(202, Map.of("accepted", result.accepted(), "refused", result.refused()));
    }

    static ObservationLine parse(ObjectNode body, Caller caller) {
        String where = "observation";
        ApiJson.requireOnly(body, FIELDS, where);
        String warden = ApiJson.text(body, "warden", false, where);
        if (warden != null && !warden.equals("observation")) {
            throw ApiException.badRequest(
                    where + ": \"warden\" must be \"observation\", not \"" + ApiJson.abbreviate(warden) + "\"");
        }
        JsonNode format = body.get("version");
        if (format == null || !format.isIntegralNumber() || format.asLong() != 1) {
            throw ApiException.badRequest(where + ": \"version\" must be 1, not "
                    + (format == null ? "missing" : ApiJson.abbreviate(format.toString())));
        }
        String function = FunctionNames.require(ApiJson.text(body, "function", true, where), where + " \"function\"");
        if (!caller.mayActFor(function)) {
            throw ApiException.forbidden(caller.description() + " may not report for function \"" + function + "\"");
        }
        String version = ApiJson.text(body, "functionVersion", false, where);
        if (version == null) {
            version = NO_VERSION;
        } else if (!VERSION.matcher(version).matches()) {
            throw ApiException.badRequest(where + ": \"functionVersion\" \"" + ApiJson.abbreviate(version)
                    + "\" is not a function version (1-64 letters, digits, $ . _ -)");
        }
        String account = ApiJson.text(body, "account", false, where);
        if (account != null && !account.matches("[0-9]{12}")) {
            throw ApiException.badRequest(
                    where + ": \"account\" \"" + ApiJson.abbreviate(account) + "\" is not a 12-digit account id");
        }
        text(body, "region", where);
        String requestId = text(body, "requestId", where);
        String mode = ApiJson.text(body, "mode", false, where);
        if (mode != null) {
            try {
                Mode.parse(mode);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(where + ": " + e.getMessage());
            }
        }
        Instant time = time(ApiJson.text(body, "time", true, where), where);
        long dropped = count(body.get("dropped"), 0, where + ": \"dropped\"");
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw ApiException.badRequest(where + ": \"items\" must be an array, not "
                    + (items == null ? "missing" : ApiJson.abbreviate(items.toString())));
        }
        if (items.size() > MAX_ITEMS_PER_LINE) {
            throw ApiException.badRequest(where + ": " + items.size() + " items, more than the " + MAX_ITEMS_PER_LINE
                    + " one observation may carry");
        }
        List<ObservationLine.Item> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            parsed.add(item(items.get(i), where + ": items[" + i + "]"));
        }
        return new ObservationLine(function, version, time, requestId, dropped, parsed);
    }

    private static ObservationLine.Item item(JsonNode node, String where) {
        if (!node.isObject()) {
            throw ApiException.badRequest(where + ": must be an object, not " + ApiJson.abbreviate(node.toString()));
        }
        ObjectNode item = (ObjectNode) node;
        String kind = ApiJson.text(item, "kind", true, where);
        Map<String, Boolean> fields = KINDS.get(kind);
        if (fields == null) {
            throw ApiException.badRequest(where + ": \"kind\" \"" + ApiJson.abbreviate(kind) + "\" is not one of "
                    + String.join(", ", new TreeMap<>(KINDS).keySet()));
        }
        Set<String> allowed = new HashSet<>(ITEM_FIELDS);
        allowed.addAll(fields.keySet());
        ApiJson.requireOnly(item, allowed, where);
        TreeMap<String, Object> identity = new TreeMap<>();
        for (Map.Entry<String, Boolean> field : fields.entrySet()) {
            String name = field.getKey();
            JsonNode value = item.get(name);
            if (value == null || value.isNull()) {
                if (field.getValue()) {
                    throw ApiException.badRequest(where + ": \"" + name + "\" is missing");
                }
                continue;
            }
            identity.put(name, value(name, value, where + ": \"" + name + "\""));
        }
        if (kind.equals("network") && !identity.containsKey("host") && !identity.containsKey("address")) {
            throw ApiException.badRequest(where + ": a network item needs \"host\" or \"address\"");
        }
        long count = count(item.get("count"), -1, where + ": \"count\"");
        String caller = text(item, "caller", where);
        try {
            return new ObservationLine.Item(kind, ApiJson.MAPPER.writeValueAsString(identity), count, caller);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field's value as its canonical JSON holds it: a string, a port, a list of strings or a map of strings. */
    private static Object value(String name, JsonNode value, String where) {
        switch (name) {
            case "port" -> {
                if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 65_535) {
                    throw ApiException.badRequest(
                            where + " must be a port 0-65535, not " + ApiJson.abbreviate(value.toString()));
                }
                return value.asInt();
            }
            case "args" -> {
                if (!value.isArray() || value.size() > MAX_ARGS) {
                    throw ApiException.badRequest(where + " must be an array of at most " + MAX_ARGS + " strings");
                }
                List<String> args = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    args.add(string(value.get(i), where + "[" + i + "]"));
                }
                return args;
            }
            case "resources" -> {
                if (!value.isObject() || value.size() > MAX_RESOURCES) {
                    throw ApiException.badRequest(
                            where + " must be an object of at most " + MAX_RESOURCES + " string members");
                }
                TreeMap<String, String> resources = new TreeMap<>();
                for (Map.Entry<String, JsonNode> member : value.properties()) {
                    string(ApiJson.MAPPER.getNodeFactory().textNode(member.getKey()), where + " member name");
                    resources.put(member.getKey(), string(member.getValue(), where + "." + member.getKey()));
                }
                return resources;
            }
            default -> {
                return string(value, where);
            }
        }
    }

    private static String string(JsonNode value, String where) {
        if (!value.isTextual()) {
            throw ApiException.badRequest(where + " must be a string, not " + ApiJson.abbreviate(value.toString()));
        }
        if (value.textValue().isEmpty() || value.textValue().length() > MAX_TEXT_CHARS) {
            throw ApiException.badRequest(where + " must be 1-" + MAX_TEXT_CHARS + " characters");
        }
        return value.textValue();
    }

    private static String text(ObjectNode object, String field, String where) {
        String value = ApiJson.text(object, field, false, where);
        return value == null ? null : string(object.get(field), where + ": \"" + field + "\"");
    }

    /** A non-negative count (positive when {@code absent} is -1, which makes it required). */
    private static long count(JsonNode value, long absent, String where) {
        if (value == null || value.isNull()) {
            if (absent < 0) {
                throw ApiException.badRequest(where + " is missing");
            }
            return absent;
        }
        long least = absent < 0 ? 1 : 0;
        if (!value.canConvertToExactIntegral()
                || !value.canConvertToLong()
                || value.asLong() < least
                || value.asLong() > Integer.MAX_VALUE) {
            throw ApiException.badRequest(where + " must be a whole number " + least + "-" + Integer.MAX_VALUE
                    + ", not " + ApiJson.abbreviate(value.toString()));
        }
        return value.asLong();
    }

    private static Instant time(String text, String where) {
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    where + ": \"time\" \"" + ApiJson.abbreviate(text) + "\" is not an ISO-8601 UTC time");
        }
        if (!EventTimes.contains(time)) {
            throw ApiException.badRequest(where + ": \"time\" " + time + " is " + EventTimes.describe());
        }
        return time;
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
        for (ObservedItem item : observations.items(function, version)) {
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

    static ObjectNode itemJson(ObservedItem item) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("version", item.version());
        node.put("kind", item.kind());
        try {
            node.setAll((ObjectNode) ApiJson.MAPPER.readTree(item.fields()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        node.put("count", item.count());
        node.put("firstSeen", item.firstSeen().toString());
        node.put("lastSeen", item.lastSeen().toString());
        node.put("lastCaller", item.lastCaller());
        return node;
    }
}
