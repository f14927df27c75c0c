package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.auth.TokenAuthenticator;
import io.warden.service.auth.Tokens;
import io.warden.service.store.EventTimes;
import io.warden.service.store.Store;
import io.warden.service.store.TokenRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tokens, for admins: {@code POST /v1/tokens} mints one, shown in this answer only ({@code {"role": "reporter",
 * "function": NAME}}, {@code "*"} for every function; {@code {"role": "viewer"}} to read only; or
 * {@code {"role": "admin"}}; optionally {@code expiresAt} and a {@code label}); {@code GET /v1/tokens} lists them by id,
 * never their secret; {@code DELETE /v1/tokens/{id}} revokes one (within {@link TokenAuthenticator#REMEMBERED_FOR}).
 */
final class TokenRoutes {

    static final int MAX_BODY_BYTES = 4 * 1024;
    static final int MAX_LABEL_CHARS = 128;
    private static final Set<String> FIELDS = Set.of("role", "function", "expiresAt", "label");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + TokenRecord.ID_HEX_DIGITS + "}");
    private static final Pattern LABEL = Pattern.compile("[\\x20-\\x7e]{1," + MAX_LABEL_CHARS + "}");

    private final Store store;
    private final Clock clock;

    TokenRoutes(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/tokens", Route.Access.ADMIN, MAX_BODY_BYTES, this::post),
                Route.of("GET", "/v1/tokens", Route.Access.ADMIN, this::list),
                Route.of("DELETE", "/v1/tokens/{id}", Route.Access.ADMIN, this::delete));
    }

    private ApiResponse post(ApiRequest request, Caller caller, List<String> pathParameters) {
        ObjectNode body = RequestBodies.jsonObject(request, MAX_BODY_BYTES, "token request");
        ApiJson.requireOnly(body, FIELDS, "token request");
        Role role;
        try {
            role = Role.fromJsonName(ApiJson.text(body, "role", true, "token request"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("token request: " + e.getMessage());
        }
        String function = ApiJson.text(body, "function", role == Role.REPORTER, "token request");
        if (role != Role.REPORTER && function != null) {
            throw ApiException.badRequest(
                    "token request: admin and viewer tokens cover every function; drop" + " \"function\"");
        }
        if (function != null && !function.equals(Caller.EVERY_FUNCTION)) {
            FunctionNames.require(function, "token request \"function\"");
        }
        Instant now = clock.instant();
        Instant expiresAt = expiresAt(ApiJson.text(body, "expiresAt", false, "token request"), now);
        String label = ApiJson.text(body, "label", false, "token request");
        if (label != null && !LABEL.matcher(label).matches()) {
            throw ApiException.badRequest("token request: \"label\" " + ApiJson.abbreviate(label) + " is not 1–"
                    + MAX_LABEL_CHARS + " printable ASCII characters");
        }
        String token = Tokens.newToken();
        TokenRecord record = new TokenRecord(Tokens.sha256Hex(token), role.jsonName(), function, now, expiresAt, label);
        store.putToken(record);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token);
        answer.putAll(describe(record));
        return ApiResponse.json(201, answer);
    }

    private static Instant expiresAt(String value, Instant now) {
        if (value == null) {
            return null;
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("token request: \"expiresAt\" " + ApiJson.abbreviate(value)
                    + " is not an ISO-8601 UTC time such as 2030-01-01T00:00:00Z");
        }
        if (!expiresAt.isAfter(now) || !EventTimes.contains(expiresAt)) {
            throw ApiException.badRequest("token request: \"expiresAt\" " + value
                    + " must be in the future and before 10000-01-01T00:00:00Z");
        }
        return expiresAt;
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters.parse(request.rawQuery(), Set.of());
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (TokenRecord record : store.tokens()) {
            tokens.add(describe(record));
        }
        return ApiResponse.json(200, Map.of("tokens", tokens));
    }

    private ApiResponse delete(ApiRequest request, Caller caller, List<String> pathParameters) {
        String id = pathParameters.get(0);
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("token id " + ApiJson.abbreviate(id) + " is not " + TokenRecord.ID_HEX_DIGITS
                    + " lower-case hex digits (GET /v1/tokens lists the ids)");
        }
        for (TokenRecord record : store.tokens()) {
            if (record.id().equals(id) && store.deleteToken(record.sha256Hex())) {
                return new ApiResponse(204, Map.of(), new byte[0]);
            }
        }
        throw ApiException.notFound("no token has id " + id);
    }

    /** Everything about a token but its secret. */
    private Map<String, Object> describe(TokenRecord record) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", record.id());
        token.put("role", record.role());
        token.put("function", record.function());
        token.put("label", record.label());
        token.put("createdAt", record.createdAt().toString());
        token.put(
                "expiresAt",
                record.expiresAt() == null ? null : record.expiresAt().toString());
        token.put("expired", record.expired(clock.instant()));
        return token;
    }
}
