package io.warden.service.api;

import io.warden.service.auth.Caller;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.Store;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/functions/{function}/suggested-policy[?version=V]}: the smallest policy that allows what the function
 * was observed doing and what its alert-mode violations show it did, with the evidence for each entry, the difference
 * from the policy in force and how much it rests on ({@link PolicySuggestion}).
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
        String version =
                QueryParameters.parse(request.rawQuery(), Set.of("version")).get("version");
        return ApiResponse.json(200, PolicySuggestion.suggest(store, function, version));
    }
}
