package io.warden.scanner.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.scanner.ScanResult;
import io.warden.scanner.Severity;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.vuln.Vulnerability;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one rule per advisory (and per kind of secret) carrying
 * {@code properties.security-severity}; each result points at the scanned package file, and names the jar or file
 * inside it as a logical location; {@code partialFingerprints} keep alerts stable across runs.
 */
final class SarifReport implements ReportFormat.ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final String UNSCANNABLE_RULE = "warden/unscannable";

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Warden");
        String version = SarifReport.class.getPackage().getImplementationVersion();
        driver.put("semanticVersion", version == null ? "0.0.0" : version);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode results = run.putArray("results");
        String uri = uri(result.target());

        for (Vulnerability v : result.vulnerabilities()) {
            String id = v.advisory().id();
            int index = ruleIndex.computeIfAbsent(id, key -> {
                ObjectNode rule = rules.addObject();
                rule.put("id", key);
                rule.put("name", key.replaceAll("[^A-Za-z0-9]", ""));
                String summary =
                        v.advisory().summary().isBlank() ? key : v.advisory().summary();
                rule.putObject("shortDescription").put("text", summary);
                rule.putObject("fullDescription").put("text", summary + aliasesText(v));
                rule.putObject("help")
                        .put("text", summary + aliasesText(v) + "\nUpgrade the affected package to a fixed version.");
                rule.putObject("defaultConfiguration")
                        .put("level", level(v.advisory().severity()));
                ObjectNode properties = rule.putObject("properties");
                properties.put(
                        "security-severity",
                        securitySeverity(v.advisory().severity(), v.advisory().score()));
                ArrayNode tags = properties.putArray("tags").add("security").add("vulnerability");
                v.advisory().aliases().forEach(tags::add);
                return rules.size() - 1;
            });
            String version0 =
                    v.versionUnknown() ? "(version unknown)" : v.component().version();
            String message = v.component().name() + " " + version0 + " in "
                    + v.component().location() + " is affected by " + id + aliasesText(v)
                    + (v.fixedIn().isEmpty() ? "" : "; fixed in " + String.join(", ", v.fixedIn()));
            addResult(
                    results,
                    id,
                    index,
                    level(v.advisory().severity()),
                    message,
                    uri,
                    v.component().location(),
                    id + "|" + v.component().name() + "@" + v.component().version() + "|"
                            + v.component().location());
        }
        for (SecretFinding s : result.secrets()) {
            String id = "warden/secret/" + s.rule();
            int index = ruleIndex.computeIfAbsent(id, key -> {
                ObjectNode rule = rules.addObject();
                rule.put("id", key);
                rule.put("name", "Secret" + s.rule().replaceAll("[^A-Za-z0-9]", ""));
                rule.putObject("shortDescription").put("text", s.title() + " in the package");
                rule.putObject("help")
                        .put(
                                "text",
                                "Remove the secret from the package, revoke it, and load it at run"
                                        + " time from a secret store instead.");
                rule.putObject("defaultConfiguration").put("level", level(s.severity()));
                ObjectNode properties = rule.putObject("properties");
                properties.put("security-severity", securitySeverity(s.severity(), null));
                properties.putArray("tags").add("security").add("secret");
                return rules.size() - 1;
            });
            String where = s.line() > 0 ? s.location() + " line " + s.line() : s.location();
            addResult(
                    results,
                    id,
                    index,
                    level(s.severity()),
                    s.title() + " " + s.masked() + " in " + where,
                    uri,
                    s.location(),
                    id + "|" + s.location() + "|" + s.masked());
        }
        for (Unscannable u : result.unscannable()) {
            int index = ruleIndex.computeIfAbsent(UNSCANNABLE_RULE, key -> {
                ObjectNode rule = rules.addObject();
                rule.put("id", key);
                rule.put("name", "Unscannable");
                rule.putObject("shortDescription").put("text", "A part of the package could not be scanned");
                rule.putObject("defaultConfiguration").put("level", "warning");
                rule.putObject("properties").putArray("tags").add("security");
                return rules.size() - 1;
            });
            addResult(
                    results,
                    UNSCANNABLE_RULE,
                    index,
                    "warning",
                    "unscannable: " + u.location() + ": " + u.reason(),
                    uri,
                    u.location(),
                    UNSCANNABLE_RULE + "|" + u.location() + "|" + u.reason());
        }
        JSON.writeValue(out, root);
        out.write('\n');
    }

    private static void addResult(
            ArrayNode results,
            String ruleId,
            int ruleIndex,
            String level,
            String message,
            String uri,
            String innerLocation,
            String identity) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId);
        r.put("ruleIndex", ruleIndex);
        r.put("level", level);
        r.putObject("message").put("text", message);
        ObjectNode location = r.putArray("locations").addObject();
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri);
        physical.putObject("region").put("startLine", 1);
        location.putArray("logicalLocations")
                .addObject()
                .put("fullyQualifiedName", innerLocation)
                .put("kind", "module");
        r.putObject("partialFingerprints").put("wardenFinding/v1", sha256(identity));
    }

    private static String aliasesText(Vulnerability v) {
        return v.advisory().aliases().isEmpty()
                ? ""
                : " (" + String.join(", ", v.advisory().aliases()) + ")";
    }

    /** GitHub's levels: error for high and critical, warning for medium, note for the rest. */
    private static String level(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    /** The CVSS score when known; otherwise a score inside the band GitHub maps to the same severity. */
    private static String securitySeverity(Severity severity, Double score) {
        if (score != null && score > 0) {
            return String.format(Locale.ROOT, "%.1f", score);
        }
        return switch (severity) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case UNKNOWN -> "0.0";
        };
    }

    private static String uri(String target) {
        try {
            return new URI(null, null, target, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot express the scanned path as a URI: '" + target + "'", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
