package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.auth.Tokens;
import io.warden.service.store.Store;
import io.warden.service.store.TokenRecord;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/tokens}: mints a token, shown in this answer only ({@code {"role": "reporter", "function": NAME}},
 * {@code "*"} for every function; {@code {"role": "viewer"}} to read only; or {@code {"role": "admin"}}).
 */
final class TokenRoutes {

    static final int MAX_BODY_BYTES = 4 * 1024;
    private static final Set<String> FIELDS = Set.of("role", "function");

    private final Store store;
    private final Clock clock;

    TokenRoutes(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(Route.of("POST", "/v1/tokens", Route.Access.ADMIN, MAX_BODY_BYTES, this::post));
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
        String token = Tokens.newToken();
        store.putToken(new TokenRecord(Tokens.sha256Hex(token), role.jsonName(), function, clock.instant()));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("token", token);
        answer.put("role", role.jsonName());
        answer.put("function", function);
        return ApiResponse.json(201, answer);
    }
}
