package io.warden.scanner.report;

import io.warden.scanner.ScanResult;
import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.catalog.Evidence;
import io.warden.scanner.vuln.Vulnerability;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * A CycloneDX 1.6 SBOM (JSON) written with cyclonedx-core-java: every component with its purl, location and evidence
 * (as {@code warden:*} properties), and every vulnerability with its CVSS rating and aliases.
 */
final class CycloneDxReport implements ReportFormat.ReportWriter {
    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(result.scannedAt()));
        org.cyclonedx.model.Component tool = new org.cyclonedx.model.Component();
        tool.setType(org.cyclonedx.model.Component.Type.APPLICATION);
        tool.setName("warden");
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        org.cyclonedx.model.Component subject = new org.cyclonedx.model.Component();
        subject.setType(org.cyclonedx.model.Component.Type.APPLICATION);
        subject.setName(result.target());
        subject.setBomRef("target");
        metadata.setComponent(subject);
        bom.setMetadata(metadata);

        Map<Component, String> refs = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        List<org.cyclonedx.model.Component> components = new ArrayList<>();
        for (Component c : result.components()) {
            String base = (c.purl() != null ? c.purl() : c.name() + "@" + c.version()) + "#" + c.location();
            int n = seen.merge(base, 1, Integer::sum);
            String ref = n == 1 ? base : base + "#" + n;
            refs.put(c, ref);
            components.add(component(c, ref));
        }
        bom.setComponents(components);

        Map<String, org.cyclonedx.model.vulnerability.Vulnerability> byAdvisory = new LinkedHashMap<>();
        for (Vulnerability v : result.vulnerabilities()) {
            org.cyclonedx.model.vulnerability.Vulnerability vulnerability =
                    byAdvisory.computeIfAbsent(v.advisory().id(), id -> vulnerability(v));
            org.cyclonedx.model.vulnerability.Vulnerability.Affect affect =
                    new org.cyclonedx.model.vulnerability.Vulnerability.Affect();
            affect.setRef(refs.get(v.component()));
            List<org.cyclonedx.model.vulnerability.Vulnerability.Affect> affects = vulnerability.getAffects() == null
                    ? new ArrayList<>()
                    : new ArrayList<>(vulnerability.getAffects());
            affects.add(affect);
            vulnerability.setAffects(affects);
        }
        bom.setVulnerabilities(new ArrayList<>(byAdvisory.values()));
        try {
            out.write(BomGeneratorFactory.createJson(Version.VERSION_16, bom)
                    .toJsonString()
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneratorException e) {
            throw new IOException("cannot write the CycloneDX SBOM: " + e.getMessage(), e);
        }
        out.write('\n');
    }

    private static org.cyclonedx.model.Component component(Component c, String ref) {
        org.cyclonedx.model.Component component = new org.cyclonedx.model.Component();
        component.setType(org.cyclonedx.model.Component.Type.LIBRARY);
        component.setBomRef(ref);
        String name = c.name();
        if (c.ecosystem() == Ecosystem.MAVEN && name.indexOf(':') > 0) {
            component.setGroup(name.substring(0, name.indexOf(':')));
            name = name.substring(name.indexOf(':') + 1);
        }
        component.setName(name);
        component.setVersion(c.version());
        component.setPurl(c.purl());
        List<Property> properties = new ArrayList<>();
        properties.add(new Property("warden:location", c.location()));
        if (c.embeddedIn() != null) {
            properties.add(new Property("warden:embeddedIn", c.embeddedIn()));
        }
        properties.add(new Property("warden:confidence", c.confidence().lowerCase()));
        if (!c.possibleVersions().isEmpty()) {
            properties.add(new Property("warden:possibleVersions", String.join(",", c.possibleVersions())));
        }
        if (c.unresolved() != null) {
            properties.add(new Property("warden:unresolved", c.unresolved()));
        }
        for (Evidence e : c.evidence()) {
            properties.add(new Property("warden:evidence", e.source() + ": " + e.detail() + " (" + e.location() + ")"));
        }
        component.setProperties(properties);
        return component;
    }

    private static org.cyclonedx.model.vulnerability.Vulnerability vulnerability(Vulnerability v) {
        org.cyclonedx.model.vulnerability.Vulnerability vulnerability =
                new org.cyclonedx.model.vulnerability.Vulnerability();
        vulnerability.setBomRef(v.advisory().id());
        vulnerability.setId(v.advisory().id());
        vulnerability.setSource(source(v.advisory().id()));
        if (!v.advisory().summary().isBlank()) {
            vulnerability.setDescription(v.advisory().summary());
        }
        org.cyclonedx.model.vulnerability.Vulnerability.Rating rating =
                new org.cyclonedx.model.vulnerability.Vulnerability.Rating();
        rating.setSeverity(severity(v.advisory().severity()));
        if (v.advisory().score() != null) {
            rating.setScore(v.advisory().score());
            rating.setVector(v.advisory().cvssVector());
            rating.setMethod(
                    v.advisory().cvssVector().startsWith("CVSS:3.1")
                            ? org.cyclonedx.model.vulnerability.Vulnerability.Rating.Method.CVSSV31
                            : org.cyclonedx.model.vulnerability.Vulnerability.Rating.Method.CVSSV3);
        }
        vulnerability.setRatings(List.of(rating));
        List<org.cyclonedx.model.vulnerability.Vulnerability.Reference> references = new ArrayList<>();
        for (String alias : v.advisory().aliases()) {
            org.cyclonedx.model.vulnerability.Vulnerability.Reference reference =
                    new org.cyclonedx.model.vulnerability.Vulnerability.Reference();
            reference.setId(alias);
            reference.setSource(source(alias));
            references.add(reference);
        }
        if (!references.isEmpty()) {
            vulnerability.setReferences(references);
        }
        return vulnerability;
    }

    private static org.cyclonedx.model.vulnerability.Vulnerability.Source source(String id) {
        org.cyclonedx.model.vulnerability.Vulnerability.Source source =
                new org.cyclonedx.model.vulnerability.Vulnerability.Source();
        source.setName(id.startsWith("GHSA-") ? "GitHub Advisory Database" : id.startsWith("CVE-") ? "NVD" : "OSV");
        return source;
    }

    private static org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity severity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.CRITICAL;
            case HIGH -> org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.HIGH;
            case MEDIUM -> org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.MEDIUM;
            case LOW -> org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.LOW;
            case UNKNOWN -> org.cyclonedx.model.vulnerability.Vulnerability.Rating.Severity.UNKNOWN;
        };
    }
}
