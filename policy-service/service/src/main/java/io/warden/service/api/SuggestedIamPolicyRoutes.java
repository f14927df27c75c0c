package io.warden.service.api;

import io.warden.service.auth.Caller;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.store.Store;
import java.util.List;

/**
 * {@code GET /v1/functions/{function}/suggested-iam-policy}: the IAM policy the function's observed AWS SDK calls need,
 * compared with its execution role from the AWS scan's inventory ({@link IamSuggestions}).
 */
final class SuggestedIamPolicyRoutes {

    private final Store store;

    SuggestedIamPolicyRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/v1/functions/{function}/suggested-iam-policy", Route.Access.READ, this::suggest));
    }

    private ApiResponse suggest(ApiRequest request, Caller caller, List<String> pathParameters) {
        String function = FunctionNames.require(pathParameters.get(0), "path");
        return ApiResponse.json(200, IamSuggestions.suggest(store, function));
    }
}
