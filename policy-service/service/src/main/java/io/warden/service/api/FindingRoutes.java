package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.findings.FindingType;
import io.warden.scanner.Severity;
import io.warden.service.auth.Caller;
import io.warden.service.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/findings}: what the AWS scans found in deployed functions and layers, most severe first, filtered by
 * function (name or ARN: its own findings and those of its layers), minimum severity and type, paged with an opaque
 * cursor.
 */
final class FindingRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final Set<String> PARAMETERS = Set.of("function", "severity", "type", "limit", "cursor");
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1," + FunctionNames.MAX_LENGTH + "}");
    /** Most severe first, then by resource, type, rule and subject: a total order, so a cursor is a position. */
    static final Comparator<Finding> ORDER =
            Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::key);

    private static final char SEPARATOR = ' ';

    private final Store store;

    FindingRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/findings", Route.Access.READ, this::list));
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters query = QueryParameters.parse(request.rawQuery(), PARAMETERS);
        String function = function(query.get("function"));
        Severity severity = oneOf(query, "severity", Severity.values(), Severity::lowerCase);
        FindingType type = oneOf(query, "type", FindingType.values(), FindingType::lowerCase);
        int limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT);
        Finding after = query.get("cursor") == null ? null : decode(query.get("cursor"));

        List<Finding> matching = store.findings().findings(new FindingQuery(function, severity, type)).stream()
                .filter(f -> after == null || ORDER.compare(f, after) > 0)
                .sorted(ORDER)
                .toList();
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ArrayNode findings = body.putArray("findings");
        matching.stream().limit(limit).forEach(f -> findings.add(FindingJson.toJson(f)));
        body.put("nextCursor", matching.size() > limit ? encode(matching.get(limit - 1)) : null);
        return ApiResponse.json(200, body);
    }

    private static String function(String value) {
        if (value == null || FUNCTION_ARN.matcher(value).matches() || FunctionNames.isValid(value)) {
            return value;
        }
        throw ApiException.badRequest(
                "\"function\" \"" + ApiJson.abbreviate(value) + "\" is neither a Lambda function" + " name (1-"
                        + FunctionNames.MAX_LENGTH + " letters, digits, - and _) nor an unqualified function ARN");
    }

    private static <E extends Enum<E>> E oneOf(
            QueryParameters query, String name, E[] values, Function<E, String> word) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        return Arrays.stream(values)
                .filter(v -> word.apply(v).equals(value.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest("\"" + name + "\" \"" + ApiJson.abbreviate(value)
                        + "\" is not one of " + Arrays.stream(values).map(word).collect(Collectors.joining(", "))));
    }

    /** The cursor: the last finding's severity and key, which {@link #ORDER} compares. */
    private static String encode(Finding last) {
        String plain = last.severity().name() + SEPARATOR + last.key();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static Finding decode(String cursor) {
        ApiException invalid = ApiException.badRequest(
                "\"cursor\" \"" + ApiJson.abbreviate(cursor) + "\" is not a cursor this service issued");
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int separator = plain.indexOf(SEPARATOR);
            String[] key = plain.substring(separator + 1).split("\\|", 4);
            if (separator < 1 || key.length != 4) {
                throw invalid;
            }
            return new Finding(
                    key[0],
                    FindingType.valueOf(key[1]),
                    key[2],
                    Severity.valueOf(plain.substring(0, separator)),
                    key[3],
                    null,
                    null);
        } catch (IllegalArgumentException e) {
            throw invalid;
        }
    }
}
