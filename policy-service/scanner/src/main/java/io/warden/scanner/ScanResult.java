package io.warden.scanner;

import io.warden.scanner.archive.Unscannable;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.vuln.Vulnerability;
import java.time.Instant;
import java.util.List;

/**
 * What a scan found.
 *
 * @param target the scanned package's name
 * @param databaseImportedAt when the advisory database was imported, or null when no database was used (then
 *     {@code vulnerabilities} is empty because nothing was checked)
 */
public record ScanResult(
        String target,
        Instant scannedAt,
        Instant databaseImportedAt,
        List<Component> components,
        List<Vulnerability> vulnerabilities,
        List<SecretFinding> secrets,
        List<Unscannable> unscannable) {

    public ScanResult {
        components = List.copyOf(components);
        vulnerabilities = List.copyOf(vulnerabilities);
        secrets = List.copyOf(secrets);
        unscannable = List.copyOf(unscannable);
    }

    /** The most severe vulnerability or secret, or {@link Severity#UNKNOWN} when there is none. */
    public Severity highestSeverity() {
        Severity highest = Severity.UNKNOWN;
        for (Vulnerability v : vulnerabilities) {
            highest = max(highest, v.advisory().severity());
        }
        for (SecretFinding s : secrets) {
            highest = max(highest, s.severity());
        }
        return highest;
    }

    /** Whether any vulnerability or secret is at least as severe as the threshold. */
    public boolean hasFindingsAtLeast(Severity threshold) {
        return vulnerabilities.stream().anyMatch(v -> v.advisory().severity().atLeast(threshold))
                || secrets.stream().anyMatch(s -> s.severity().atLeast(threshold));
    }

    private static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
