package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.auth.WebSessions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/login}: spends a one-time login code (from the URL {@code warden serve} prints) on a viewer session
 * token for the web view. The code is the credential, so the route needs no other.
 */
final class LoginRoutes {

    static final int MAX_BODY_BYTES = 1024;
    private static final Set<String> FIELDS = Set.of("code");

    private final WebSessions sessions;

    LoginRoutes(WebSessions sessions) {
        this.sessions = sessions;
    }

    List<Route> routes() {
        return List.of(Route.of("POST", "/v1/login", Route.Access.PUBLIC, MAX_BODY_BYTES, this::login));
    }

    private ApiResponse login(ApiRequest request, Caller caller, List<String> pathParameters) {
        ObjectNode body = RequestBodies.jsonObject(request, MAX_BODY_BYTES, "login request");
        ApiJson.requireOnly(body, FIELDS, "login request");
        WebSessions.Session session = sessions.exchange(ApiJson.text(body, "code", true, "login request"));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("token", session.token());
        answer.put("role", Role.VIEWER.jsonName());
        answer.put("expiresAt", session.expiresAt().toString());
        return ApiResponse.json(201, answer);
    }
}
