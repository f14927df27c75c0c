package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.InMemoryFindingStore;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.ScanReport;
import io.warden.aws.scan.ScanSettings;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** {@code warden aws scan}: inventory, vulnerabilities, secrets and posture of deployed Lambda functions. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Scans the Lambda functions and layers deployed in AWS accounts: their packages' known"
                    + " vulnerabilities and secrets, and their posture (runtime, exposure, permissions, Warden coverage).",
            "Credentials come from the usual AWS places (environment, profile, instance or container role).",
            "Exit status: 0 everything was scanned, 1 some functions or regions could not be scanned (listed),"
                    + " 2 usage error or the scan could not run."
        })
final class AwsScanCommand implements Callable<Integer> {
    private static final int BAR_WIDTH = 30;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "A region to scan; repeat for several (default: AWS_REGION).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--function", paramLabel = "NAME", description = "Scan only this function (a name or an ARN).")
    String function;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    String format;

    @Option(
            names = "--account",
            paramLabel = "ID",
            description = "A member account to scan through --role-name; repeat for several.")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--organization", description = "Also scan every active account of the AWS Organization.")
    boolean organization;

    @Option(
            names = "--role-name",
            paramLabel = "NAME",
            defaultValue = ScanSettings.DEFAULT_ROLE_NAME,
            description = "The role assumed in member accounts (default: ${DEFAULT-VALUE}).")
    String roleName;

    @Option(
            names = "--warden-layer",
            paramLabel = "NAME",
            defaultValue = ScanSettings.DEFAULT_WARDEN_LAYER_NAME,
            description = "The name of the Warden layer (default: ${DEFAULT-VALUE}).")
    String wardenLayer;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "" + ScanSettings.DEFAULT_CONCURRENCY,
            description = "Functions scanned at the same time (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--endpoint-url",
            paramLabel = "URL",
            description = "Send every AWS call to this endpoint instead of AWS's (a local emulator).")
    URI endpoint;

    @Option(
            names = "--db",
            paramLabel = "DIR",
            description = "The advisory database directory (default: ~/.warden/db).")
    Path db;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = {
                "Keep the inventory and findings in this data directory, the one `warden serve --data-dir`"
                        + " serves (GET /v1/findings): packages it knows are not downloaded again. Default: nothing is"
                        + " kept."
            })
    Path dataDirectory;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "'" + format + "' is not a format; use table or json");
        }
        List<String> scanRegions = new ArrayList<>(regions);
        if (scanRegions.isEmpty()) {
            String region = System.getenv("AWS_REGION");
            if (region == null || region.isBlank()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "no region to scan: give --region or set AWS_REGION");
            }
            scanRegions.add(region);
        }
        ScanSettings settings;
        try {
            settings = ScanSettings.of(scanRegions)
                    .withAccounts(accounts, organization, roleName)
                    .withEndpoint(endpoint)
                    .withConcurrency(concurrency, Math.min(concurrency, ScanSettings.DEFAULT_DOWNLOAD_CONCURRENCY))
                    .withWardenLayerName(wardenLayer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dbDir = db != null ? db : VulnerabilityStore.defaultDirectory();
        boolean haveDb = Files.isRegularFile(dbDir.resolve(VulnerabilityStore.FILE_NAME));
        if (!haveDb && db != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no advisory database in " + dbDir + "; create it with: warden db import PATH --db " + db);
        }
        if (!haveDb) {
            err.println("warden: no advisory database in " + dbDir + ": vulnerabilities are not checked"
                    + " (create it with: warden db import PATH)");
        }
        Instant started = settings.clock().instant();
        try (SqliteStore database = dataDirectory == null ? null : openDataDirectory();
                VulnerabilityStore advisories = haveDb ? VulnerabilityStore.open(dbDir) : null;
                AwsScanner scanner = new AwsScanner(
                        settings,
                        DefaultCredentialsProvider.builder().build(),
                        database == null ? new InMemoryFindingStore() : database.findings(),
                        advisories,
                        FindingListener.NONE)) {
            if (database != null) {
                // The agents' observations that warden serve stored there: iam-unused-permissions.
                scanner.withObservations(IamSuggestions.source(database.observations()));
            }
            ProgressBar bar = System.console() != null ? new ProgressBar(err) : null;
            if (bar != null) {
                scanner.onProgress(bar::show);
            }
            ScanReport report = function != null ? scanner.scanFunction(function) : scanner.scanAll();
            if (bar != null) {
                bar.clear();
            }
            ScannedNow scanned = ScannedNow.of(scanner.store(), started);
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("json")) {
                out.println(json(scanned, report));
            } else {
                table(out, scanned.findings(), report.failures());
                out.printf(
                        "%d functions, %d layers, %d findings; %d packages and %d layers downloaded in %.1f s%n",
                        scanned.functions().size(),
                        scanned.layers().size(),
                        scanned.findings().size(),
                        report.packagesDownloaded(),
                        report.layersDownloaded(),
                        report.elapsed().toMillis() / 1000.0);
            }
            out.flush();
            return report.failures().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            err.println("warden aws scan: " + e.getMessage());
            return 2;
        }
    }

    private SqliteStore openDataDirectory() throws java.io.IOException {
        if (Files.exists(dataDirectory) && !Files.isDirectory(dataDirectory)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--data-dir " + dataDirectory + " is not a directory");
        }
        Files.createDirectories(dataDirectory);
        return SqliteStore.open(dataDirectory);
    }

    /**
     * What this run scanned, as the store now keeps it: the functions scanned since it started (a data directory may
     * hold others, of other regions or accounts), the layer versions they use, and the findings of both.
     */
    record ScannedNow(List<FunctionRecord> functions, List<LayerRecord> layers, List<Finding> findings) {
        static ScannedNow of(FindingStore store, Instant started) {
            List<FunctionRecord> functions = store.functions().stream()
                    .filter(f -> !f.scannedAt().isBefore(started))
                    .toList();
            List<LayerRecord> layers = functions.stream()
                    .flatMap(f -> f.layerArns().stream())
                    .distinct()
                    .map(store::findLayer)
                    .flatMap(Optional::stream)
                    .toList();
            List<Finding> findings = new ArrayList<>();
            functions.forEach(f -> findings.addAll(f.findings()));
            layers.forEach(l -> findings.addAll(l.findings()));
            return new ScannedNow(functions, layers, sorted(findings));
        }
    }

    static List<Finding> sorted(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity)
                .reversed()
                .thenComparing(Finding::resourceArn)
                .thenComparing(Finding::rule));
        return sorted;
    }

    private static String json(ScannedNow scanned, ScanReport report)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode summary = root.putObject("summary");
        summary.put("functions", scanned.functions().size());
        summary.put("layers", scanned.layers().size());
        summary.put("packagesDownloaded", report.packagesDownloaded());
        summary.put("layersDownloaded", report.layersDownloaded());
        summary.put("findings", scanned.findings().size());
        summary.put("seconds", report.elapsed().toMillis() / 1000.0);
        ArrayNode functions = root.putArray("functions");
        scanned.functions().forEach(f -> functions.add(FindingJson.toJson(f, false)));
        ArrayNode findings = root.putArray("findings");
        scanned.findings().forEach(f -> findings.add(FindingJson.toJson(f)));
        root.set("failures", mapper.valueToTree(report.failures()));
        return mapper.writeValueAsString(root);
    }

    /** One line per finding, then what could not be scanned. */
    static void table(PrintWriter out, List<Finding> findings, List<ScanReport.Failure> failures) {
        out.printf("%-8s  %-13s  %-26s  %-40s  %s%n", "SEVERITY", "TYPE", "RULE", "RESOURCE", "FINDING");
        for (Finding f : findings) {
            String resource = f.resourceArn()
                    .substring(f.resourceArn().lastIndexOf(':', f.resourceArn().lastIndexOf(':') - 1) + 1);
            out.printf(
                    "%-8s  %-13s  %-26s  %-40s  %s%n",
                    f.severity().lowerCase(), f.type().lowerCase(), f.rule(), resource, f.title());
        }
        for (ScanReport.Failure failure : failures) {
            out.println("not scanned: " + failure.resource() + ": " + failure.reason());
        }
    }

    /** {@code [#####.....] 120/500 functions}, rewritten in place on the terminal. */
    private static final class ProgressBar {
        private final PrintWriter err;
        private long lastShown;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        synchronized void show(int done, int total, String function) {
            long now = System.currentTimeMillis();
            if (now - lastShown < 100 && done < total) {
                return;
            }
            lastShown = now;
            int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
            err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total
                    + " functions");
            err.flush();
        }

        synchronized void clear() {
            err.print("\r" + " ".repeat(BAR_WIDTH + 40) + "\r");
            err.flush();
        }
    }
}
