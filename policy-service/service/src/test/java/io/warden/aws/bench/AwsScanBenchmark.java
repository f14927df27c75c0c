package io.warden.aws.bench;

import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAccount;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.ScanReport;
import io.warden.aws.scan.ScanSettings;
import io.warden.scanner.TestPackages;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.store.sqlite.SqliteStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale benchmark of the AWS scan: 10,000 functions using 2,000 distinct code packages and 200 shared layers in
 * the fake, scanned with bounded concurrency. Checks that each distinct package and layer was downloaded exactly once
 * and prints the throughput and the peak heap. Run it with {@code -Xmx512m} (the {@code aws-benchmark} profile does).
 */
public final class AwsScanBenchmark {
    static final int FUNCTIONS = 10_000;
    static final int PACKAGES = 2_000;
    static final int LAYERS = 200;
    static final int ROLES = 50;

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : ScanSettings.DEFAULT_CONCURRENCY;
        try (FakeAws aws = FakeAws.start(AwsFixtures.HOME, 8)) {
            FakeAccount home = aws.home();
            List<String> packages = new ArrayList<>();
            for (int i = 0; i < PACKAGES; i++) {
                packages.add(aws.code(functionZip(i)));
            }
            List<String> layers = new ArrayList<>();
            for (int i = 0; i < LAYERS; i++) {
                layers.add(home.publishLayer(AwsFixtures.REGION, "shared-" + i, aws.code(layerZip(i))));
            }
            List<String> roles = new ArrayList<>();
            for (int i = 0; i < ROLES; i++) {
                roles.add(home.role(
                        "role-" + i,
                        List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                        Map.of(
                                "app",
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                                        + "[\"dynamodb:GetItem\",\"s3:*\"],\"Resource\":\"*\"}]}")));
            }
            for (int i = 0; i < FUNCTIONS; i++) {
                home.function(AwsFixtures.REGION, String.format("fn-%05d", i))
                        .runtime(i % 3 == 0 ? "java17" : "java21")
                        .code(packages.get(i % PACKAGES))
                        .role(roles.get(i % ROLES))
                        .layer(layers.get(i % LAYERS))
                        .layer(layers.get((i * 7 + 3) % LAYERS))
                        .env("AWS_LAMBDA_EXEC_WRAPPER", "/opt/warden-wrapper");
            }
            Path dbDir = Files.createTempDirectory("warden-aws-bench");
            ScanSettings settings = ScanSettings.of(List.of(AwsFixtures.REGION))
                    .withEndpoint(aws.endpoint())
                    .withConcurrency(concurrency, Math.min(concurrency, ScanSettings.DEFAULT_DOWNLOAD_CONCURRENCY))
                    .withRetries(ScanSettings.DEFAULT_MAX_ATTEMPTS, Duration.ofMillis(50))
                    .withClock(AwsFixtures.TODAY);
            ScanReport report;
            int findings;
            try (SqliteStore service = SqliteStore.open(Files.createDirectories(dbDir.resolve("service")));
                    VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                    AwsScanner scanner = new AwsScanner(
                            settings, aws.credentials(), service.findings(), advisories, FindingListener.NONE)) {
                report = scanner.scanAll();
                findings = service.findings()
                        .findings(io.warden.aws.findings.FindingQuery.ALL)
                        .size();
            }
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            double seconds = report.elapsed().toMillis() / 1000.0;
            System.out.printf(
                    "functions scanned      %d (failures %d)%n",
                    report.functionsScanned(), report.failures().size());
            System.out.printf(
                    "distinct packages      %d downloaded once each: %s%n",
                    PACKAGES, packages.stream().allMatch(s -> aws.downloads(s) == 1));
            System.out.printf(
                    "layers                 %d scanned, %d downloads%n",
                    report.layersScanned(), report.layersDownloaded());
            System.out.printf(
                    "downloads at the fake  %d total, %d distinct%n", aws.totalDownloads(), aws.distinctDownloads());
            System.out.printf("findings               %d (kept in the service's SQLite store)%n", findings);
            System.out.printf(
                    "elapsed                %.1f s, %.0f functions/s, concurrency %d%n",
                    seconds, report.functionsScanned() / seconds, concurrency);
            System.out.printf(
                    "max heap %d MB, peak heap used %d MB%n",
                    Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
            boolean ok = report.failures().isEmpty()
                    && report.functionsScanned() == FUNCTIONS
                    && aws.totalDownloads() == PACKAGES + LAYERS
                    && aws.distinctDownloads() == PACKAGES + LAYERS;
            if (!ok) {
                System.out.println("FAILED: expected " + FUNCTIONS + " functions, no failures and "
                        + (PACKAGES + LAYERS) + " downloads, one per distinct package; failures: "
                        + report.failures().stream().limit(5).toList());
                System.exit(1);
            }
        }
    }

    /** A small function package: a handler and one dependency jar with its Maven metadata. */
    static byte[] functionZip(int i) {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put(
                "META-INF/maven/org.example/lib-" + (i % 97) + "/pom.properties",
                ("groupId=org.example\nartifactId=lib-" + (i % 97) + "\nversion=1." + i + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("example/Handler" + i + ".txt", ("handler " + i).getBytes(StandardCharsets.UTF_8));
        entries.put("lib/lib-" + (i % 97) + "-1." + i + ".jar", TestPackages.zip(jar));
        return TestPackages.zip(entries);
    }

    static byte[] layerZip(int i) {
        return TestPackages.zip(
                Map.of("java/lib/shared-" + i + ".txt", ("layer " + i).getBytes(StandardCharsets.UTF_8)));
    }
}
