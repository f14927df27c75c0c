package io.warden.scanner.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OSV record (ossf osv-schema) reduced to what matching and reports need.
 *
 * @param affected the entries for the ecosystems Warden supports; entries of other ecosystems are dropped
 */
public record OsvRecord(Advisory advisory, boolean withdrawn, List<Affected> affected) {

    /** One {@code affected} entry: the package and its spec. */
    public record Affected(Ecosystem ecosystem, String name, AffectedSpec spec) {}

    private static final List<String> EVENT_KINDS = List.of("introduced", "fixed", "last_affected", "limit");

    /**
     * @param source names the file in error messages
     * @throws IllegalArgumentException naming the source when the record lacks an id or its structure is wrong
     */
    public static OsvRecord parse(JsonNode json, String source) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(source + ": not an OSV record (expected a JSON object)");
        }
        String id = json.path("id").asText("");
        if (id.isBlank()) {
            throw new IllegalArgumentException(source + ": OSV record without an \"id\"");
        }
        List<String> aliases = new ArrayList<>();
        json.path("aliases").forEach(a -> aliases.add(a.asText()));
        String vector = null;
        Double score = null;
        for (JsonNode s : json.path("severity")) {
            String type = s.path("type").asText("");
            if (type.equals("CVSS_V3")) {
                try {
                    score = Cvss3.baseScore(s.path("score").asText(""));
                    vector = s.path("score").asText();
                } catch (IllegalArgumentException unusable) {
                    // falls back to the database's own word below
                }
            }
        }
        Severity severity = score != null
                ? Severity.ofScore(score)
                : Severity.ofWord(
                        json.path("database_specific").path("severity").asText(""));
        Advisory advisory = new Advisory(
                id,
                json.path("summary").asText(""),
                aliases,
                severity,
                score,
                vector,
                json.path("modified").asText(""));

        List<Affected> affected = new ArrayList<>();
        for (JsonNode a : json.path("affected")) {
            Optional<Ecosystem> ecosystem =
                    Ecosystem.fromOsvName(a.path("package").path("ecosystem").asText(""));
            String name = a.path("package").path("name").asText("");
            if (ecosystem.isEmpty() || name.isBlank()) {
                continue;
            }
            List<AffectedSpec.Range> ranges = new ArrayList<>();
            for (JsonNode r : a.path("ranges")) {
                List<AffectedSpec.Event> events = new ArrayList<>();
                for (JsonNode e : r.path("events")) {
                    for (Map.Entry<String, JsonNode> field : e.properties()) {
                        if (EVENT_KINDS.contains(field.getKey())) {
                            events.add(new AffectedSpec.Event(
                                    field.getKey(), field.getValue().asText("")));
                        }
                    }
                }
                ranges.add(new AffectedSpec.Range(r.path("type").asText(""), events));
            }
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(v -> versions.add(v.asText()));
            JsonNode hint = a.path("database_specific").path("last_known_affected_version_range");
            affected.add(new Affected(
                    ecosystem.get(),
                    ecosystem.get().normalizeName(name),
                    new AffectedSpec(ranges, versions, hint.isTextual() ? hint.asText() : null)));
        }
        return new OsvRecord(advisory, json.hasNonNull("withdrawn"), affected);
    }
}
