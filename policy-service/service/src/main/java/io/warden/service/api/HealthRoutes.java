package io.warden.service.api;

import io.warden.service.auth.Caller;
import io.warden.service.store.Store;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /healthz} (no credentials: it tells only whether the service and its store answer) and
 * {@code GET /metrics} (admin; Prometheus text format).
 */
final class HealthRoutes {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Store store;
    private final Metrics metrics;

    HealthRoutes(Store store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/healthz", Route.Access.PUBLIC, this::health),
                Route.of("GET", "/metrics", Route.Access.ADMIN, this::metrics));
    }

    private ApiResponse health(ApiRequest request, Caller caller, List<String> pathParameters) {
        store.checkHealth();
        return ApiResponse.json(200, Map.of("status", "ok"));
    }

    private ApiResponse metrics(ApiRequest request, Caller caller, List<String> pathParameters) {
        return ApiResponse.text(200, PROMETHEUS_TEXT, metrics.prometheusText());
    }
}
