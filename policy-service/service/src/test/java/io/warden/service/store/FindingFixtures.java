package io.warden.service.store;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.PackageRecord;
import io.warden.aws.findings.StoredComponent;
import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Ecosystem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Records the finding store tests share. */
public final class FindingFixtures {

    static final Instant SCANNED = Instant.parse("2026-03-01T12:00:00.123456Z");

    private FindingFixtures() {}

    /**
     * A package of {@code count} components with long random names (real ones are long when shaded or vendored):
     * compressing them barely helps, so 3,000 of them are more than one DynamoDB item holds.
     */
    public static PackageRecord largePackage(String sha, int count) {
        Random random = new Random(count);
        HexFormat hex = HexFormat.of();
        List<StoredComponent> components = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[160];
            random.nextBytes(bytes);
            String name = "com.example." + hex.formatHex(bytes) + ":lib" + i;
            String purl = "pkg:maven/" + name.replace(':', '/') + "@1." + i;
            components.add(new StoredComponent(Ecosystem.MAVEN, name, "1." + i, purl, "lib/lib" + i + ".jar"));
            if (i % 10 == 0) {
                findings.add(new Finding(
                        PackageRecord.resourceOf(sha),
                        FindingType.VULNERABILITY,
                        "GHSA-" + i,
                        Severity.HIGH,
                        purl + " at lib/lib" + i + ".jar",
                        name + ": a vulnerability",
                        "Upgrade."));
            }
        }
        return new PackageRecord(sha, components, findings, SCANNED, SCANNED);
    }
}
