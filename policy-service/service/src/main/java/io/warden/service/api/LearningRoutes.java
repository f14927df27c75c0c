package io.warden.service.api;

import io.warden.service.auth.Caller;
import io.warden.service.learn.LearningSummary;
import io.warden.service.store.FunctionRecord;
import io.warden.service.store.Store;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /v1/learning}: for every function of the inventory, how much was observed of it and whether a suggestion
 * from it can be trusted yet ({@link LearningSummary}); the fleet view to pick the functions ready to tighten.
 */
final class LearningRoutes {

    private final Store store;

    LearningRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/learning", Route.Access.READ, this::list));
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters.parse(request.rawQuery(), Set.of());
        Set<String> functions = new TreeSet<>();
        for (FunctionRecord record : store.functions()) {
            functions.add(record.name());
        }
        for (io.warden.aws.findings.FunctionRecord deployed : store.findings().functions()) {
            functions.add(deployed.functionName());
        }
        return ApiResponse.json(200, LearningSummary.summarize(store.observations(), functions));
    }
}
