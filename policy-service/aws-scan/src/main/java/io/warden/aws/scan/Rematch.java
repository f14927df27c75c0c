package io.warden.aws.scan;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * After an advisory database import: every stored package's components matched again, and the vulnerability findings
 * of the functions and layers using them updated. Nothing is downloaded and no AWS API is called: the component
 * inventory in the {@link FindingStore} is all it needs, so it runs wherever the store is reachable.
 */
public final class Rematch {

    private Rematch() {}

    /**
     * @param advisories the database just imported into
     * @param listener told about the findings the new advisories add
     */
    public static ScanReport run(FindingStore store, VulnerabilityStore advisories, FindingListener listener)
            throws IOException {
        return run(store, new PackageAnalyzer(Objects.requireNonNull(advisories, "advisories")), listener);
    }

    static ScanReport run(FindingStore store, PackageAnalyzer analyzer, FindingListener listener) {
        long started = System.nanoTime();
        List<Finding> added = new ArrayList<>();
        List<ScanReport.Failure> failures = new ArrayList<>();
        Map<String, PackageRecord> updated = new HashMap<>();
        for (PackageRecord known : store.packages()) {
            try {
                PackageRecord again = analyzer.rematch(known);
                store.putPackage(again);
                updated.put(again.codeSha256(), again);
            } catch (IOException e) {
                failures.add(new ScanReport.Failure(
                        PackageRecord.resourceOf(known.codeSha256()),
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        int functions = 0;
        for (FunctionRecord f : store.functions()) {
            PackageRecord p = updated.get(f.codeSha256());
            if (p != null) {
                FunctionRecord again = f.withFindings(withVulnerabilitiesOf(p, f.findings(), f.functionArn()));
                announce(listener, f.functionName(), store.putFunction(again), added);
                functions++;
            }
        }
        int layers = 0;
        for (LayerRecord l : store.layers()) {
            PackageRecord p = updated.get(l.codeSha256());
            if (p != null) {
                announce(
                        listener,
                        null,
                        store.putLayer(new LayerRecord(
                                l.layerVersionArn(),
                                l.codeSha256(),
                                withVulnerabilitiesOf(p, l.findings(), l.layerVersionArn()),
                                l.scannedAt())),
                        added);
                layers++;
            }
        }
        return new ScanReport(functions, layers, 0, 0, added, failures, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void announce(
            FindingListener listener, String functionName, List<Finding> found, List<Finding> all) {
        if (!found.isEmpty()) {
            all.addAll(found);
            listener.newFindings(functionName, found);
        }
    }

    /** The resource's findings with its vulnerabilities replaced by the package's. */
    private static List<Finding> withVulnerabilitiesOf(PackageRecord p, List<Finding> findings, String resourceArn) {
        List<Finding> all = new ArrayList<>(findings.stream()
                .filter(x -> x.type() != FindingType.VULNERABILITY)
                .toList());
        p.findings().stream()
                .filter(x -> x.type() == FindingType.VULNERABILITY)
                .map(x -> x.on(resourceArn))
                .forEach(all::add);
        return all;
    }
}
