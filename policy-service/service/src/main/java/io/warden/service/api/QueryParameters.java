package io.warden.service.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A query string's parameters: each at most once, only known names. */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /** @throws ApiException 400 naming an unknown, repeated or undecodable parameter */
    static QueryParameters parse(String rawQuery, Set<String> allowed) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (!allowed.contains(name)) {
                    throw ApiException.badRequest("unknown query parameter \"" + ApiJson.abbreviate(name)
                            + "\"; expected "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
                if (values.put(name, value) != null) {
                    throw ApiException.badRequest("query parameter \"" + name + "\" is given more than once");
                }
            }
        }
        return new QueryParameters(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "query \"" + ApiJson.abbreviate(text) + "\" is not percent-encoded correctly");
        }
    }

    /** The value, or null when the parameter is absent or empty. */
    String get(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The {@code limit} parameter: a number from 1 to {@code max}, {@code defaultLimit} when absent. */
    int limit(int defaultLimit, int max) {
        String value = get("limit");
        if (value == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below.
        }
        throw ApiException.badRequest(
                "\"limit\" \"" + ApiJson.abbreviate(value) + "\" is not a number from 1 to " + max);
    }
}
