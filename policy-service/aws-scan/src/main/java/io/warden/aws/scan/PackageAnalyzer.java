package io.warden.aws.scan;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.PackageRecord;
import io.warden.aws.findings.StoredComponent;
import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.Severity;
import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.vuln.Vulnerability;
import io.warden.scanner.vuln.VulnerabilityMatcher;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a code package into a {@link PackageRecord} with the package scanner, and matches stored components against
 * the advisory database again (after an import) without the package.
 */
final class PackageAnalyzer {
    private final VulnerabilityStore advisories;
    private VulnerabilityMatcher matcher;
    private Instant databaseImportedAt;

    /** @param advisories the advisory database, or null to record components and secrets only */
    PackageAnalyzer(VulnerabilityStore advisories) throws IOException {
        this.advisories = advisories;
        this.matcher = advisories == null ? null : new VulnerabilityMatcher(advisories);
        this.databaseImportedAt =
                advisories == null ? null : advisories.importedAt().orElse(null);
    }

    /** @param handler the function's handler, whose archive is searched for secrets, or null (a layer) */
    PackageRecord scan(String codeSha256, InputStream in, String name, String handler) throws IOException {
        // Components and secrets per package in parallel; matching goes through the one matcher below.
        PackageScanner scanner = new PackageScanner(null);
        try {
            scanner.handler(handler);
        } catch (IllegalArgumentException notJava) {
            // Another runtime's handler (a .NET assembly path, say) names no Java class to look for.
        }
        ScanResult result = scanner.scan(in, name);
        String resource = PackageRecord.resourceOf(codeSha256);
        List<StoredComponent> components =
                result.components().stream().map(StoredComponent::of).toList();
        List<Finding> findings = new ArrayList<>(vulnerabilities(resource, components));
        for (SecretFinding s : result.secrets()) {
            findings.add(new Finding(
                    resource,
                    FindingType.SECRET,
                    s.rule(),
                    s.severity(),
                    s.location() + (s.line() > 0 ? ":" + s.line() : ""),
                    s.title() + " in " + s.location() + " (" + s.masked() + ")",
                    "Remove the secret from the package, keep it in AWS Secrets Manager or SSM Parameter Store, and"
                            + " rotate it: everyone who can download the package has it."));
        }
        for (Unscannable u : result.unscannable()) {
            findings.add(new Finding(
                    resource,
                    FindingType.UNSCANNABLE,
                    "unscannable",
                    Severity.UNKNOWN,
                    u.location(),
                    "Not scanned: " + u.reason(),
                    "Check the package; this part of it could not be read."));
        }
        return new PackageRecord(codeSha256, components, findings, Instant.now(), databaseImportedAt);
    }

    /** Forgets what the matcher read from the database: after an import it reads the new advisories. */
    synchronized void reload() throws IOException {
        if (advisories != null) {
            matcher = new VulnerabilityMatcher(advisories);
            databaseImportedAt = advisories.importedAt().orElse(null);
        }
    }

    /** The package's findings with its vulnerabilities matched again against the current database. */
    PackageRecord rematch(PackageRecord known) throws IOException {
        List<Finding> findings =
                new ArrayList<>(vulnerabilities(PackageRecord.resourceOf(known.codeSha256()), known.components()));
        known.findings().stream()
                .filter(f -> f.type() != FindingType.VULNERABILITY)
                .forEach(findings::add);
        return new PackageRecord(
                known.codeSha256(), known.components(), findings, known.scannedAt(), databaseImportedAt);
    }

    private List<Finding> vulnerabilities(String resource, List<StoredComponent> components) throws IOException {
        if (matcher == null) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        // The matcher keeps compiled ranges and reads the SQLite store: one thread at a time.
        synchronized (this) {
            for (StoredComponent c : components) {
                Component component = c.toComponent();
                for (Vulnerability v : matcher.match(component)) {
                    findings.add(finding(resource, v));
                }
            }
        }
        return findings;
    }

    private static Finding finding(String resource, Vulnerability v) {
        Component c = v.component();
        String version = c.version() == null ? "(version unknown)" : c.version();
        String aliases = v.advisory().aliases().isEmpty()
                ? ""
                : " (" + String.join(", ", v.advisory().aliases()) + ")";
        String remediation = v.fixedIn().isEmpty()
                ? "No fixed version is known: remove or replace " + c.name() + "."
                : "Upgrade " + c.name() + " to " + String.join(" or ", v.fixedIn()) + " or later and redeploy.";
        return new Finding(
                resource,
                FindingType.VULNERABILITY,
                v.advisory().id(),
                v.advisory().severity(),
                c.purl() + " at " + c.location(),
                c.name() + " " + version + ": " + v.advisory().summary() + aliases,
                remediation);
    }

    boolean hasDatabase() {
        return advisories != null;
    }
}
