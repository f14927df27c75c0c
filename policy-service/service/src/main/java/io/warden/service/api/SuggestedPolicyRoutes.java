package io.warden.service.api;

import io.warden.service.auth.Caller;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.Store;
import java.util.List;

/**
 * {@code GET /v1/functions/{function}/suggested-policy}: the smallest policy that allows the policy in force plus what
 * the function's alert-mode violations show it did, with the evidence for each entry ({@link PolicySuggestion}).
 */
final class SuggestedPolicyRoutes {

    private final Store store;

    SuggestedPolicyRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/functions/{function}/suggested-policy", Route.Access.READ, this::suggest));
    }

    private ApiResponse suggest(ApiRequest request, Caller caller, List<String> pathParameters) {
        String function = FunctionNames.require(pathParameters.get(0), "path");
        return ApiResponse.json(200, PolicySuggestion.suggest(store, function));
    }
}
