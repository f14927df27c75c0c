package io.warden.scanner.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.scanner.ScanResult;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Evidence;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.vuln.Vulnerability;
import java.io.IOException;
import java.io.OutputStream;

/** Everything the scan found, as one JSON document (for programs). */
final class JsonReport implements ReportFormat.ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", result.target());
        root.put("scannedAt", result.scannedAt().toString());
        root.put(
                "databaseImportedAt",
                result.databaseImportedAt() == null
                        ? null
                        : result.databaseImportedAt().toString());
        ObjectNode summary = root.putObject("summary");
        summary.put("components", result.components().size());
        summary.put("vulnerabilities", result.vulnerabilities().size());
        summary.put("secrets", result.secrets().size());
        summary.put("unscannable", result.unscannable().size());
        summary.put("highestSeverity", result.highestSeverity().lowerCase());

        ArrayNode components = root.putArray("components");
        for (Component c : result.components()) {
            ObjectNode node = components.addObject();
            node.put("ecosystem", c.ecosystem().osvName());
            node.put("name", c.name());
            node.put("version", c.version());
            node.put("purl", c.purl());
            node.put("location", c.location());
            node.put("embeddedIn", c.embeddedIn());
            node.put("confidence", c.confidence().lowerCase());
            if (!c.possibleVersions().isEmpty()) {
                c.possibleVersions().forEach(node.putArray("possibleVersions")::add);
            }
            node.put("unresolved", c.unresolved());
            ArrayNode evidence = node.putArray("evidence");
            for (Evidence e : c.evidence()) {
                evidence.addObject()
                        .put("source", e.source())
                        .put("location", e.location())
                        .put("detail", e.detail());
            }
        }
        ArrayNode vulnerabilities = root.putArray("vulnerabilities");
        for (Vulnerability v : result.vulnerabilities()) {
            ObjectNode node = vulnerabilities.addObject();
            node.put("id", v.advisory().id());
            v.advisory().aliases().forEach(node.putArray("aliases")::add);
            node.put("severity", v.advisory().severity().lowerCase());
            node.put("score", v.advisory().score());
            node.put("cvssVector", v.advisory().cvssVector());
            node.put("summary", v.advisory().summary());
            node.put("package", v.component().name());
            node.put("version", v.component().version());
            node.put("versionUnknown", v.versionUnknown());
            node.put("purl", v.component().purl());
            node.put("location", v.component().location());
            v.fixedIn().forEach(node.putArray("fixedIn")::add);
        }
        ArrayNode secrets = root.putArray("secrets");
        for (SecretFinding s : result.secrets()) {
            secrets.addObject()
                    .put("rule", s.rule())
                    .put("title", s.title())
                    .put("severity", s.severity().lowerCase())
                    .put("location", s.location())
                    .put("line", s.line())
                    .put("masked", s.masked());
        }
        ArrayNode unscannable = root.putArray("unscannable");
        for (Unscannable u : result.unscannable()) {
            unscannable.addObject().put("location", u.location()).put("reason", u.reason());
        }
        JSON.writeValue(out, root);
        out.write('\n');
    }
}
