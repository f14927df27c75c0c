package io.warden.service.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.report.ReportFormat;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** {@code POST /v1/scans} through the package scanner: its JSON report is kept, its summary goes to the inventory. */
public final class ScannerPackageScans implements PackageScans {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PackageScanner scanner;

    /** @param advisories the advisory database, or null to list components and secrets only */
    public ScannerPackageScans(VulnerabilityStore advisories) {
        this.scanner = new PackageScanner(advisories);
    }

    @Override
    public PackageScan scan(InputStream zip, String name) throws IOException {
        ScanResult result = scanner.scan(zip, name);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ReportFormat.JSON.write(result, report);
        String resultJson = report.toString(StandardCharsets.UTF_8);
        JsonNode summary = JSON.readTree(resultJson).path("summary");
        return new PackageScan(JSON.writeValueAsString(summary), resultJson);
    }
}
