package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.store.FunctionRecord;
import io.warden.service.store.Store;
import java.util.List;

/** {@code GET /v1/functions}: the inventory, every function that reported or was scanned. */
final class FunctionRoutes {

    private final Store store;

    FunctionRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/functions", Route.Access.ADMIN, this::list));
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters.parse(request.rawQuery(), java.util.Set.of());
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ArrayNode functions = body.putArray("functions");
        for (FunctionRecord record : store.functions()) {
            ObjectNode function = functions.addObject();
            function.put("function", record.name());
            function.put("agentVersion", record.agentVersion());
            function.put("mode", record.mode());
            function.put("firstSeen", record.firstSeen() == null ? null : record.firstSeen().toString());
            function.put("lastSeen", record.lastSeen() == null ? null : record.lastSeen().toString());
            ObjectNode violations = function.putObject("violations");
            violations.put("blocked", record.blocked());
            violations.put("alerted", record.alerted());
            function.set("latestScan", record.latestScan() == null ? null : ScanRoutes.toJson(record.latestScan()));
        }
        return ApiResponse.json(200, body);
    }
}
