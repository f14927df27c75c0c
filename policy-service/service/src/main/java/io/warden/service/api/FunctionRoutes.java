package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.LayerRecord;
import io.warden.scanner.Severity;
import io.warden.service.auth.Caller;
import io.warden.service.store.FunctionRecord;
import io.warden.service.store.Store;
import io.warden.service.store.StoredPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/functions}: the inventory, every function that reported or was scanned: by name, with its stored
 * policy's ETag and revision, and the deployed functions of that name the AWS scans found (in any account and region)
 * and their findings counted by severity.
 */
final class FunctionRoutes {

    private final Store store;

    FunctionRoutes(Store store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/functions", Route.Access.READ, this::list));
    }

    private ApiResponse list(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters.parse(request.rawQuery(), Set.of());
        Map<String, List<io.warden.aws.findings.FunctionRecord>> deployed = new HashMap<>();
        for (io.warden.aws.findings.FunctionRecord f : store.findings().functions()) {
            deployed.computeIfAbsent(f.functionName(), name -> new ArrayList<>())
                    .add(f);
        }
        Map<String, LayerRecord> layers = deployed.values().stream()
                        .flatMap(List::stream)
                        .anyMatch(f -> !f.layerArns().isEmpty())
                ? store.findings().layers().stream()
                        .collect(Collectors.toMap(LayerRecord::layerVersionArn, Function.identity()))
                : Map.of();
        Map<String, ObjectNode> byName = new TreeMap<>();
        for (FunctionRecord record : store.functions()) {
            ObjectNode function = ApiJson.MAPPER.createObjectNode();
            function.put("function", record.name());
            function.put("agentVersion", record.agentVersion());
            function.put("mode", record.mode());
            function.put(
                    "firstSeen",
                    record.firstSeen() == null ? null : record.firstSeen().toString());
            function.put(
                    "lastSeen",
                    record.lastSeen() == null ? null : record.lastSeen().toString());
            ObjectNode violations = function.putObject("violations");
            violations.put("blocked", record.blocked());
            violations.put("alerted", record.alerted());
            function.set("latestScan", record.latestScan() == null ? null : ScanRoutes.toJson(record.latestScan()));
            byName.put(record.name(), function);
        }
        deployed.keySet().forEach(name -> byName.computeIfAbsent(name, FunctionRoutes::onlyScanned));
        byName.forEach((name, function) -> {
            function.set(
                    "policy", store.policy(name).map(FunctionRoutes::policy).orElse(null));
            ArrayNode instances = function.putArray("deployed");
            deployed.getOrDefault(name, List.of()).stream()
                    .sorted(Comparator.comparing(io.warden.aws.findings.FunctionRecord::functionArn))
                    .forEach(f -> instances.add(deployed(f, layers)));
        });
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putArray("functions").addAll(byName.values());
        return ApiResponse.json(200, body);
    }

    /**
     * What identifies the stored policy, as {@code GET /v1/policies/{function}} would serve it: so that a listing of
     * hundreds of functions need not fetch each policy to say which have one.
     */
    private static ObjectNode policy(StoredPolicy stored) {
        ObjectNode policy = ApiJson.MAPPER.createObjectNode();
        String etag = PolicyRoutes.etag(stored.json().getBytes(StandardCharsets.UTF_8));
        policy.put("etag", etag.substring(1, etag.length() - 1));
        policy.put("revision", stored.revision());
        policy.put("updatedAt", stored.updatedAt().toString());
        return policy;
    }

    /** A function the AWS scans found that never reported and was never scanned through the API. */
    private static ObjectNode onlyScanned(String name) {
        ObjectNode function = ApiJson.MAPPER.createObjectNode();
        function.put("function", name);
        function.putNull("agentVersion");
        function.putNull("mode");
        function.putNull("firstSeen");
        function.putNull("lastSeen");
        function.putObject("violations").put("blocked", 0).put("alerted", 0);
        function.putNull("latestScan");
        return function;
    }

    /** A deployed function and its findings (with those of its layers) counted by severity, most severe first. */
    private static ObjectNode deployed(io.warden.aws.findings.FunctionRecord f, Map<String, LayerRecord> layers) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        List<Finding> findings = new ArrayList<>(f.findings());
        f.layerArns().stream()
                .map(layers::get)
                .filter(Objects::nonNull)
                .forEach(layer -> findings.addAll(layer.findings()));
        findings.forEach(finding -> counts.merge(finding.severity(), 1, Integer::sum));
        ObjectNode node = FindingJson.toJson(f, false);
        ObjectNode bySeverity = node.putObject("findings");
        Severity[] severities = Severity.values();
        for (int i = severities.length - 1; i >= 0; i--) {
            bySeverity.put(severities[i].lowerCase(), counts.getOrDefault(severities[i], 0));
        }
        return node;
    }
}
