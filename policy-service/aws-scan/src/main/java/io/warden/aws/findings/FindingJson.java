package io.warden.aws.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.iam.PolicyDocument;
import io.warden.aws.iam.RolePermissions;
import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Ecosystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one JSON shape of findings and inventory records: what {@code warden aws scan --format json} prints, what
 * {@code GET /v1/findings} answers, and what the persistent finding stores keep. Severities and types are written in
 * lower case; times as ISO-8601 instants.
 */
public final class FindingJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private FindingJson() {}

    /** What kind of resource a finding belongs to: {@code function}, {@code layer} or {@code package}. */
    public static String resourceType(String resourceArn) {
        if (resourceArn.startsWith("sha256:")) {
            return "package";
        }
        return resourceArn.contains(":layer:") ? "layer" : "function";
    }

    public static ObjectNode toJson(Finding f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("resource", f.resourceArn());
        n.put("resourceType", resourceType(f.resourceArn()));
        n.put("type", f.type().lowerCase());
        n.put("rule", f.rule());
        n.put("severity", f.severity().lowerCase());
        n.put("subject", f.subject());
        n.put("title", f.title());
        n.put("remediation", f.remediation());
        return n;
    }

    public static Finding finding(JsonNode n) {
        return new Finding(
                n.path("resource").asText(),
                FindingType.valueOf(upper(n.path("type").asText())),
                n.path("rule").asText(),
                Severity.valueOf(upper(n.path("severity").asText())),
                text(n, "subject"),
                text(n, "title"),
                text(n, "remediation"));
    }

    /** A function's inventory entry; {@code findings} is left out when {@code withFindings} is false. */
    public static ObjectNode toJson(FunctionRecord f, boolean withFindings) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("functionArn", f.functionArn());
        n.put("functionName", f.functionName());
        n.put("account", f.accountId());
        n.put("region", f.region());
        n.put("runtime", f.runtime());
        n.put("codeSha256", f.codeSha256());
        f.layerArns().forEach(n.putArray("layers")::add);
        n.put("wardenLayerVersion", f.wardenLayerVersion());
        n.put("wardenMode", f.wardenMode());
        n.put("scannedAt", time(f.scannedAt()));
        if (f.executionRole() != null) {
            n.set("executionRole", toJson(f.executionRole()));
        }
        if (withFindings) {
            n.set("findings", findings(f.findings()));
        }
        return n;
    }

    public static FunctionRecord function(JsonNode n) {
        List<String> layers = new ArrayList<>();
        n.path("layers").forEach(layer -> layers.add(layer.asText()));
        return new FunctionRecord(
                n.path("functionArn").asText(),
                text(n, "account"),
                text(n, "region"),
                n.path("functionName").asText(),
                text(n, "runtime"),
                text(n, "codeSha256"),
                layers,
                text(n, "wardenMode"),
                n.path("wardenLayerVersion").asLong(),
                findings(n.path("findings")),
                instant(n, "scannedAt"),
                n.hasNonNull("executionRole") ? role(n.get("executionRole")) : null);
    }

    /** An execution role: its ARN and each policy's name and document. */
    public static ObjectNode toJson(RolePermissions role) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("arn", role.roleArn());
        n.set("attached", policies(role.attached()));
        n.set("inline", policies(role.inline()));
        return n;
    }

    public static RolePermissions role(JsonNode n) {
        return new RolePermissions(n.path("arn").asText(), policies(n.path("attached")), policies(n.path("inline")));
    }

    private static ArrayNode policies(List<RolePermissions.NamedPolicy> policies) {
        ArrayNode array = MAPPER.createArrayNode();
        for (RolePermissions.NamedPolicy p : policies) {
            ObjectNode policy = array.addObject().put("name", p.name());
            try {
                policy.set("document", MAPPER.readTree(p.document().json()));
            } catch (IOException e) {
                throw new UncheckedIOException("a parsed policy document is not JSON", e);
            }
        }
        return array;
    }

    private static List<RolePermissions.NamedPolicy> policies(JsonNode array) {
        List<RolePermissions.NamedPolicy> policies = new ArrayList<>();
        for (JsonNode p : array) {
            policies.add(new RolePermissions.NamedPolicy(
                    p.path("name").asText(),
                    PolicyDocument.parse(p.path("document").toString())));
        }
        return policies;
    }

    public static ObjectNode toJson(LayerRecord l) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("layerVersionArn", l.layerVersionArn());
        n.put("codeSha256", l.codeSha256());
        n.put("scannedAt", time(l.scannedAt()));
        n.set("findings", findings(l.findings()));
        return n;
    }

    public static LayerRecord layer(JsonNode n) {
        return new LayerRecord(
                n.path("layerVersionArn").asText(),
                text(n, "codeSha256"),
                findings(n.path("findings")),
                instant(n, "scannedAt"));
    }

    public static ObjectNode toJson(PackageRecord p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("codeSha256", p.codeSha256());
        n.put("scannedAt", time(p.scannedAt()));
        n.put("databaseImportedAt", time(p.databaseImportedAt()));
        ArrayNode components = n.putArray("components");
        for (StoredComponent c : p.components()) {
            components
                    .addObject()
                    .put(
                            "ecosystem",
                            c.ecosystem() == null ? null : c.ecosystem().name())
                    .put("name", c.name())
                    .put("version", c.version())
                    .put("purl", c.purl())
                    .put("location", c.location());
        }
        n.set("findings", findings(p.findings()));
        return n;
    }

    public static PackageRecord packageRecord(JsonNode n) {
        List<StoredComponent> components = new ArrayList<>();
        for (JsonNode c : n.path("components")) {
            String ecosystem = text(c, "ecosystem");
            components.add(new StoredComponent(
                    ecosystem == null ? null : Ecosystem.valueOf(ecosystem),
                    text(c, "name"),
                    text(c, "version"),
                    text(c, "purl"),
                    text(c, "location")));
        }
        return new PackageRecord(
                n.path("codeSha256").asText(),
                components,
                findings(n.path("findings")),
                instant(n, "scannedAt"),
                instant(n, "databaseImportedAt"));
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored record is not JSON", e);
        }
    }

    private static ArrayNode findings(List<Finding> findings) {
        ArrayNode array = MAPPER.createArrayNode();
        findings.forEach(f -> array.add(toJson(f)));
        return array;
    }

    private static List<Finding> findings(JsonNode array) {
        List<Finding> findings = new ArrayList<>(array.size());
        array.forEach(f -> findings.add(finding(f)));
        return findings;
    }

    private static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(JsonNode n, String field) {
        String text = text(n, field);
        return text == null ? null : Instant.parse(text);
    }
}
