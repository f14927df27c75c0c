package io.warden.aws.scan;

import io.warden.aws.accounts.AccountTarget;
import io.warden.aws.accounts.Accounts;
import io.warden.aws.accounts.AwsClients;
import io.warden.aws.discovery.CodeDownloads;
import io.warden.aws.discovery.DeployedFunction;
import io.warden.aws.discovery.LambdaReader;
import io.warden.aws.discovery.LayerVersionArn;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import io.warden.aws.iam.ObservationSource;
import io.warden.aws.iam.PolicyDocument;
import io.warden.aws.iam.RolePermissions;
import io.warden.aws.iam.RolePermissionsReader;
import io.warden.aws.internal.OnceMap;
import io.warden.aws.posture.FunctionContext;
import io.warden.aws.posture.PostureRules;
import io.warden.aws.posture.WardenCoverageRule;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Scans the Lambda functions and layers deployed in AWS accounts: inventory, package vulnerabilities and secrets,
 * and posture. The entry points a Lambda handler calls: {@link #scanAll()} on a schedule, {@link #handle} for a
 * deployment event, {@link #rematch()} after an advisory database import; {@link #scanFunction} for one function.
 *
 * <p>Packages are identified by their {@code CodeSha256}: each distinct one is downloaded and scanned once, also when
 * many functions or layers share it, and never again while the store knows it. Layer versions never change, so a
 * stored one is not asked for again. A function or layer that cannot be scanned is reported in
 * {@link ScanReport#failures()}; the scan goes on with the rest.
 */
public final class AwsScanner implements AutoCloseable {
    private final ScanSettings settings;
    private final AwsClients clients;
    private final Accounts accounts;
    private final FindingStore store;
    private final PackageAnalyzer analyzer;
    private final FindingListener listener;
    private final CodeDownloads downloads = new CodeDownloads();
    private final Semaphore downloadPermits;
    private final OnceMap<Scope> scopes = new OnceMap<>();
    private final OnceMap<RolePermissionsReader> iamByAccount = new OnceMap<>();
    private final OnceMap<PackageRecord> packageScans = new OnceMap<>();
    private final OnceMap<LayerRecord> layerScans = new OnceMap<>();
    private ScanProgress progress = ScanProgress.NONE;
    private ObservationSource observations = ObservationSource.NONE;

    /**
     * @param credentials the caller's credentials (on Lambda, the function's role)
     * @param advisories the advisory database, or null to scan without vulnerability matching
     * @param listener told about each new finding (a Lambda function passes a {@code CloudWatchFindingOutput})
     */
    public AwsScanner(
            ScanSettings settings,
            AwsCredentialsProvider credentials,
            FindingStore store,
            VulnerabilityStore advisories,
            FindingListener listener)
            throws IOException {
        this.settings = settings;
        this.clients = new AwsClients(settings);
        this.accounts = new Accounts(clients, credentials);
        this.store = store;
        this.analyzer = new PackageAnalyzer(advisories);
        this.listener = listener;
        this.downloadPermits = new Semaphore(settings.downloadConcurrency());
    }

    public AwsScanner onProgress(ScanProgress listener) {
        this.progress = listener;
        return this;
    }

    /** Where the posture rules that compare a function with what it was observed doing find the observations. */
    public AwsScanner withObservations(ObservationSource source) {
        this.observations = source;
        return this;
    }

    /** The scheduled full scan: every function of every account and region; forgets functions that are gone. */
    public ScanReport scanAll() {
        Run run = new Run();
        List<Work> work = new ArrayList<>();
        List<Scope> listed = new ArrayList<>();
        for (AccountTarget account : accounts.all()) {
            for (String region : settings.regions()) {
                Scope scope = scope(account.accountId(), region);
                try {
                    for (DeployedFunction f : scope.reader.listFunctions()) {
                        work.add(new Work(scope, f));
                    }
                    listed.add(scope);
                } catch (SdkException e) {
                    run.fail(account.accountId() + "/" + region, "listing functions failed: " + describe(e));
                }
            }
        }
        run.scanAll(work);
        Set<String> present = work.stream().map(w -> w.function.functionArn()).collect(Collectors.toSet());
        for (FunctionRecord known : store.functions()) {
            boolean inListedScope = listed.stream()
                    .anyMatch(s -> s.accountId.equals(known.accountId()) && s.region.equals(known.region()));
            if (inListedScope && !present.contains(known.functionArn())) {
                store.removeFunction(known.functionArn());
            }
        }
        return run.report();
    }

    /**
     * One function, by ARN or by name: a name is looked up in the caller's account in every configured region.
     */
    public ScanReport scanFunction(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            if (parts.length < 7 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
                throw new IllegalArgumentException("not a Lambda function ARN: '" + nameOrArn + "'");
            }
            return rescan(parts[4], parts[3], nameOrArn);
        }
        Run run = new Run();
        List<Work> work = new ArrayList<>();
        String home = accounts.homeAccount();
        for (String region : settings.regions()) {
            Scope scope = scope(home, region);
            try {
                scope.reader.function(nameOrArn).ifPresent(f -> work.add(new Work(scope, f)));
            } catch (SdkException e) {
                run.fail(home + "/" + region + "/" + nameOrArn, describe(e));
            }
        }
        if (work.isEmpty() && run.failures.isEmpty()) {
            run.fail(nameOrArn, "no function named '" + nameOrArn + "' in " + String.join(", ", settings.regions()));
        }
        run.scanAll(work);
        return run.report();
    }

    /** The deployment-event trigger: rescans the function, or scans the layer version, the event names. */
    public ScanReport handle(DeploymentEvent event) {
        if (event.failed()) {
            return new Run().report();
        }
        if (event.action().isLayer()) {
            Run run = new Run();
            Scope scope = scope(event.accountId(), event.region());
            try {
                run.layer(scope, event.target());
            } catch (RuntimeException e) {
                run.fail(event.target(), describe(e));
            }
            return run.report();
        }
        return rescan(event.accountId(), event.region(), event.target());
    }

    /**
     * After an advisory database import: matches every stored package's components again and updates the findings of
     * the functions and layers using them; nothing is downloaded.
     */
    public ScanReport rematch() {
        if (!analyzer.hasDatabase()) {
            throw new IllegalStateException("rematch needs an advisory database; this scanner has none");
        }
        try {
            analyzer.reload();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the advisory database", e);
        }
        return Rematch.run(store, analyzer, listener);
    }

    /** Findings of the latest full or partial scan, as the store keeps them. */
    public FindingStore store() {
        return store;
    }

    @Override
    public void close() {
        clients.close();
    }

    private ScanReport rescan(String accountId, String region, String nameOrArn) {
        Run run = new Run();
        Scope scope = scope(accountId, region);
        try {
            Optional<DeployedFunction> found = scope.reader.function(nameOrArn);
            if (found.isEmpty()) {
                store.functions().stream()
                        .filter(f -> f.functionArn().equals(nameOrArn)
                                || f.functionName().equals(nameOrArn)
                                        && f.accountId().equals(accountId)
                                        && f.region().equals(region))
                        .forEach(f -> store.removeFunction(f.functionArn()));
                run.fail(nameOrArn, "no such function in " + accountId + "/" + region);
            } else {
                run.scanAll(List.of(new Work(scope, found.get())));
            }
        } catch (RuntimeException e) {
            run.fail(nameOrArn, describe(e));
        }
        return run.report();
    }

    private Scope scope(String accountId, String region) {
        return scopes.get(accountId + "/" + region, () -> {
            AccountTarget target = accounts.forAccount(accountId);
            return new Scope(
                    accountId,
                    region,
                    new LambdaReader(clients.lambda(target.credentials(), region)),
                    iamByAccount.get(accountId, () -> new RolePermissionsReader(clients.iam(target.credentials()))));
        });
    }

    /** Lambda and IAM in one account and region, with the newest Warden layer version there. */
    private static final class Scope {
        final String accountId;
        final String region;
        final LambdaReader reader;
        final RolePermissionsReader iam;
        final OnceMap<Long> latestLayerVersions = new OnceMap<>();

        Scope(String accountId, String region, LambdaReader reader, RolePermissionsReader iam) {
            this.accountId = accountId;
            this.region = region;
            this.reader = reader;
            this.iam = iam;
        }
    }

    private record Work(Scope scope, DeployedFunction function) {}

    /** One scan's counters, failures and new findings. */
    private final class Run {
        final long started = System.nanoTime();
        final AtomicInteger functions = new AtomicInteger();
        final AtomicInteger layers = new AtomicInteger();
        final AtomicLong packagesDownloaded = new AtomicLong();
        final AtomicLong layersDownloaded = new AtomicLong();
        final ConcurrentLinkedQueue<Finding> newFindings = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ScanReport.Failure> failures = new ConcurrentLinkedQueue<>();

        void fail(String resource, String reason) {
            failures.add(new ScanReport.Failure(resource, reason));
        }

        void announce(String functionName, List<Finding> added) {
            if (!added.isEmpty()) {
                newFindings.addAll(added);
                listener.newFindings(functionName, added);
            }
        }

        ScanReport report() {
            return new ScanReport(
                    functions.get(),
                    layers.get(),
                    packagesDownloaded.get(),
                    layersDownloaded.get(),
                    List.copyOf(newFindings),
                    List.copyOf(failures),
                    Duration.ofNanos(System.nanoTime() - started));
        }

        /** Scans the functions on at most {@link ScanSettings#concurrency()} threads. */
        void scanAll(List<Work> work) {
            if (work.isEmpty()) {
                return;
            }
            int threads = Math.min(settings.concurrency(), work.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "warden-aws-scan");
                t.setDaemon(true);
                return t;
            });
            AtomicInteger done = new AtomicInteger();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Work w : work) {
                    futures.add(pool.submit(() -> {
                        try {
                            function(w.scope, w.function);
                        } catch (RuntimeException | IOException e) {
                            fail(w.function.functionArn(), describe(e));
                        } finally {
                            progress.functionDone(done.incrementAndGet(), work.size(), w.function.functionName());
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the scan was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a scan task failed unexpectedly", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }

        void function(Scope scope, DeployedFunction f) throws IOException {
            List<Finding> findings = new ArrayList<>();
            if (!f.isImage()) {
                PackageRecord code = packageOf(
                        f.codeSha256(),
                        f.functionName() + ".zip",
                        f.handler(),
                        () -> scope.reader.codeLocation(f.functionArn()),
                        packagesDownloaded);
                code.findings().forEach(x -> findings.add(x.on(f.functionArn())));
            }
            String wardenLayer = null;
            for (String layerArn : f.layerArns()) {
                try {
                    layer(scope, layerArn);
                } catch (RuntimeException e) {
                    fail(layerArn, describe(e));
                }
                if (LayerVersionArn.parse(layerArn).name().equals(settings.wardenLayerName())) {
                    wardenLayer = layerArn;
                }
            }
            String latestWarden = wardenLayer == null
                    ? null
                    : LayerVersionArn.parse(wardenLayer).layerArn();
            long latest = latestWarden == null
                    ? 0
                    : scope.latestLayerVersions.get(latestWarden, () -> scope.reader.latestLayerVersion(latestWarden));
            String urlAuthType =
                    scope.reader.functionUrlAuthType(f.functionArn()).orElse(null);
            PolicyDocument policy = scope.reader.resourcePolicy(f.functionArn()).orElse(null);
            RolePermissions role = f.role() == null ? null : scope.iam.read(f.role());
            LocalDate today = LocalDate.ofInstant(settings.clock().instant(), ZoneOffset.UTC);
            findings.addAll(PostureRules.evaluate(new FunctionContext(
                    f,
                    urlAuthType,
                    policy,
                    role,
                    wardenLayer,
                    latest,
                    today,
                    observations.observed(f.functionName()))));
            FunctionRecord record = new FunctionRecord(
                    f.functionArn(),
                    f.accountId(),
                    f.region(),
                    f.functionName(),
                    f.runtime(),
                    f.codeSha256(),
                    f.layerArns(),
                    f.environment().get(WardenCoverageRule.MODE_VARIABLE),
                    wardenLayer == null ? 0 : LayerVersionArn.parse(wardenLayer).version(),
                    dedupe(findings),
                    settings.clock().instant(),
                    role);
            announce(f.functionName(), store.putFunction(record));
            functions.incrementAndGet();
        }

        void layer(Scope scope, String layerArn) {
            if (store.findLayer(layerArn).isPresent()) {
                return;
            }
            layerScans.get(layerArn, () -> {
                LambdaReader.LayerContent content = scope.reader.layer(layerArn);
                PackageRecord p;
                try {
                    p = packageOf(
                            content.codeSha256(),
                            LayerVersionArn.parse(layerArn).name() + ".zip",
                            null,
                            content::location,
                            layersDownloaded);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                LayerRecord record = new LayerRecord(
                        layerArn,
                        content.codeSha256(),
                        p.findings().stream().map(x -> x.on(layerArn)).toList(),
                        settings.clock().instant());
                announce(null, store.putLayer(record));
                layers.incrementAndGet();
                return record;
            });
        }

        /**
         * The package with this hash: from the store, or downloaded and scanned once however many ask (with the
         * handler of the function that asked first: functions sharing code share their handler as a rule).
         */
        PackageRecord packageOf(
                String codeSha256, String name, String handler, Supplier<String> location, AtomicLong counter)
                throws IOException {
            Optional<PackageRecord> known = store.findPackage(codeSha256);
            if (known.isPresent()) {
                return known.get();
            }
            try {
                return packageScans.get(codeSha256, () -> {
                    Optional<PackageRecord> meanwhile = store.findPackage(codeSha256);
                    if (meanwhile.isPresent()) {
                        return meanwhile.get();
                    }
                    String url = location.get();
                    downloadPermits.acquireUninterruptibly();
                    try (InputStream in = downloads.open(url)) {
                        PackageRecord record = analyzer.scan(codeSha256, in, name, handler);
                        store.putPackage(record);
                        counter.incrementAndGet();
                        return record;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        downloadPermits.release();
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** One finding per key: the same component in two places of a package is one finding. */
    private static List<Finding> dedupe(List<Finding> findings) {
        Set<String> seen = new HashSet<>();
        return findings.stream().filter(f -> seen.add(f.key())).toList();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
