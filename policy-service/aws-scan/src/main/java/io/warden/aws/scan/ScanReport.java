package io.warden.aws.scan;

import io.warden.aws.findings.Finding;
import java.time.Duration;
import java.util.List;

/**
 * What one scan did.
 *
 * @param functionsScanned functions whose posture was checked and whose record was written
 * @param packagesDownloaded function packages downloaded and scanned (the others were known by their CodeSha256)
 * @param layersDownloaded layer versions downloaded and scanned
 * @param newFindings findings seen for the first time
 * @param failures what could not be scanned, and why; the rest of the scan went on
 */
public record ScanReport(
        int functionsScanned,
        int layersScanned,
        long packagesDownloaded,
        long layersDownloaded,
        List<Finding> newFindings,
        List<Failure> failures,
        Duration elapsed) {

    /** @param resource a function, layer version, or an account and region that could not be listed */
    public record Failure(String resource, String reason) {}

    public ScanReport {
        newFindings = List.copyOf(newFindings);
        failures = List.copyOf(failures);
    }
}
