package io.warden.invoke;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a function zip locally exactly as Lambda's Java managed runtime does: the real runtime interface client is the
 * JVM's main class, the zip is unpacked into a fresh task root, the Warden layer into a fresh /opt-like directory with
 * {@code AWS_LAMBDA_EXEC_WRAPPER} set to its wrapper, and the events go through the Runtime API. Everything temporary
 * is removed afterwards and the function JVM never outlives the run.
 */
public final class LocalLambda {

    /** Lambda allows 10 s; a JVM on a busy developer machine or CI runner may need longer to start. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);

    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    static final String ACCOUNT_ID = "000000000000";
    private static final long POLL_MILLIS = 20;
    private static final int TELEMETRY_FD = 3;
    /** Lambda gives the JVM this share of the function's memory as its heap. */
    private static final double HEAP_SHARE_OF_MEMORY = 0.85;
    /** Where the function's X-Ray instrumentation sends segments: nothing listens, and nothing leaves the machine. */
    static final String XRAY_DAEMON = "127.0.0.1:2000";

    private static final DateTimeFormatter STREAM_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final FunctionSpec spec;
    private final RuntimeClient client;
    private final PlatformLines platform;
    private final FunctionLog log;

    private LocalLambda(FunctionSpec spec, RuntimeClient client, Consumer<String> logSink) {
        this.spec = spec;
        this.client = client;
        this.platform = new PlatformLines(spec.logFormat());
        this.log = new FunctionLog(logSink);
    }

    /**
     * Starts the function, sends it each event (all queued at once: with {@code maxConcurrency} the runtime takes up
     * to that many at a time, otherwise one after the other, as a warm Lambda instance would), then stops it.
     * The log streams to {@code logSink} as it arrives.
     */
    public static InvokeRun invoke(FunctionSpec spec, List<byte[]> events, Consumer<String> logSink)
            throws InvokeException, IOException, InterruptedException {
        if (events.isEmpty()) {
            throw new InvokeException("No event to send");
        }
        spec.validate();
        return new LocalLambda(spec, RuntimeClient.installed(), logSink).run(events);
    }

    private InvokeRun run(List<byte[]> events) throws InvokeException, IOException, InterruptedException {
        Path sandbox = Files.createTempDirectory("warden-invoke-");
        try {
            Path taskRoot = sandbox.resolve("task");
            Path opt = sandbox.resolve("opt");
            ZipUnpacker.UnpackBudget budget = new ZipUnpacker.UnpackBudget();
            ZipUnpacker.unpack(spec.zip(), taskRoot, budget);
            Files.createDirectories(opt);
            Path wrapper = null;
            if (spec.layer() != null) {
                ZipUnpacker.unpack(spec.layer(), opt, budget);
                wrapper = opt.resolve("warden-wrapper");
                if (!Files.isExecutable(wrapper)) {
                    throw new InvokeException(
                            "--layer " + spec.layer() + " has no executable warden-wrapper at its root");
                }
            }
            Path output = Files.createDirectories(sandbox.resolve("output"));
            return new Run(taskRoot, opt, wrapper, output).execute(events);
        } finally {
            deleteTree(sandbox);
        }
    }

    /** One function JVM and the Runtime API it talks to. */
    private final class Run implements RuntimeApiServer.Listener {
        private final Path taskRoot;
        private final Path opt;
        private final Path wrapper;
        private final Path output;
        private final List<Invocation> invocations = new ArrayList<>();
        private final List<OutputPump> pumps = new ArrayList<>();
        private final AtomicBoolean firstReport = new AtomicBoolean(true);
        private volatile Process process;
        private long startNanos;
        private volatile long initDoneNanos;
        /** When init ended, by the first poll for an event or by an init error. */
        private volatile long initEndNanos;

        private volatile InitError initError;

        Run(Path taskRoot, Path opt, Path wrapper, Path output) {
            this.taskRoot = taskRoot;
            this.opt = opt;
            this.wrapper = wrapper;
            this.output = output;
        }

        InvokeRun execute(List<byte[]> events) throws InvokeException, IOException, InterruptedException {
            String functionArn =
                    "arn:aws:lambda:" + spec.region() + ":" + ACCOUNT_ID + ":function:" + spec.effectiveFunctionName();
            for (byte[] event : events) {
                Invocation invocation = new Invocation(
                        UUID.randomUUID().toString(), event, traceId(spec.traceSampled()), functionArn, spec.timeout());
                invocation.result.thenAccept(result -> report(invocation, result));
                invocations.add(invocation);
            }
            try (RuntimeApiServer api = RuntimeApiServer.start(this)) {
                invocations.forEach(api::submit);
                Path stdout = output.resolve("stdout");
                Path stderr = output.resolve("stderr");
                Path telemetry = Files.createFile(output.resolve("telemetry"));
                ProcessBuilder builder = new ProcessBuilder(launch(telemetry))
                        .directory(taskRoot.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
                builder.environment().clear();
                builder.environment().putAll(environment(api.address()));
                startNanos = System.nanoTime();
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw new InvokeException(
                            "Cannot start the function JVM " + spec.javaExecutable() + ": " + e.getMessage(), e);
                }
                pumps.add(new OutputPump(stdout, OutputPump.Framing.LINES, log));
                pumps.add(new OutputPump(stderr, OutputPump.Framing.LINES, log));
                pumps.add(new OutputPump(telemetry, OutputPump.Framing.TELEMETRY_FRAMES, log));
                superviseUntilAllAnswered();
                // Stopped while the Runtime API still answers, so the runtime's last poll does not fail loudly.
                stop(process);
            } finally {
                if (process != null && process.isAlive()) {
                    kill(process);
                }
                for (OutputPump pump : pumps) {
                    pump.close();
                }
            }
            List<InvocationResult> results = new ArrayList<>();
            for (Invocation invocation : invocations) {
                results.add(invocation.result.getNow(null));
            }
            return new InvokeRun(results, initDuration(), log.lines());
        }

        private void superviseUntilAllAnswered() throws InterruptedException {
            List<Invocation> pending = new ArrayList<>(invocations);
            while (!pending.isEmpty()) {
                awaitAny(pending);
                enforceLimits();
                pending.removeIf(invocation -> invocation.result.isDone());
            }
        }

        private void awaitAny(List<Invocation> pending) throws InterruptedException {
            try {
                CompletableFuture.anyOf(pending.stream()
                                .map(invocation -> invocation.result)
                                .toArray(CompletableFuture[]::new))
                        .get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException stillWaiting) {
                // Checked below: the process, the init timeout and each invocation's timeout.
            }
        }

        /** Lambda's rules when the runtime does not answer: it exited, init took too long, or an invocation timed out. */
        private void enforceLimits() {
            InitError failed = initError;
            if (failed != null && (!process.isAlive() || System.nanoTime() - failed.nanoTime > STOP_GRACE.toNanos())) {
                kill(process);
                for (Invocation invocation : invocations) {
                    invocation.finish(InvocationResult.Status.INIT_ERROR, failed.errorDocument, failed.errorType);
                }
                return;
            }
            if (!process.isAlive()) {
                for (Invocation invocation : invocations) {
                    invocation.finish(
                            InvocationResult.Status.RUNTIME_EXIT,
                            RuntimeApiServer.errorDocument(
                                    "Runtime.ExitError",
                                    "RequestId: " + invocation.requestId
                                            + " Error: Runtime exited with error: exit status " + process.exitValue()),
                            "Runtime.ExitError");
                }
                return;
            }
            if (initDoneNanos == 0 && System.nanoTime() - startNanos > INIT_TIMEOUT.toNanos()) {
                kill(process);
                for (Invocation invocation : invocations) {
                    invocation.finish(
                            InvocationResult.Status.TIMEOUT,
                            RuntimeApiServer.errorDocument(
                                    "Sandbox.Timedout",
                                    "Init did not finish within " + INIT_TIMEOUT.toSeconds() + " seconds"),
                            "Sandbox.Timedout");
                }
                return;
            }
            for (Invocation invocation : invocations) {
                if (invocation.dispatched()
                        && !invocation.result.isDone()
                        && invocation.elapsed().compareTo(invocation.timeout) > 0) {
                    invocation.finish(
                            InvocationResult.Status.TIMEOUT,
                            RuntimeApiServer.errorDocument(
                                    "Sandbox.Timedout",
                                    Instant.now() + " " + invocation.requestId + " Task timed out after "
                                            + String.format(Locale.ROOT, "%.2f", invocation.timeout.toMillis() / 1000.0)
                                            + " seconds"),
                            "Sandbox.Timedout");
                    // Lambda stops the whole execution environment; what was still queued never runs here.
                    kill(process);
                }
            }
        }

        /**
         * Runs on the thread that ended the invocation, for an answer before the runtime hears back, so END and
         * REPORT come before the output of the next invocation, as on Lambda.
         */
        private void report(Invocation invocation, InvocationResult result) {
            drainOutput();
            boolean initFailed = result.status() == InvocationResult.Status.INIT_ERROR;
            if (initFailed && !invocation.dispatched()) {
                log.add(platform.start(invocation.requestId));
            }
            if (invocation.dispatched() || initFailed) {
                String end = platform.end(invocation.requestId);
                if (end != null) {
                    log.add(end);
                }
                log.add(platform.report(new PlatformLines.Report(
                        invocation.requestId,
                        result.status(),
                        result.errorType(),
                        result.duration(),
                        spec.memoryMb(),
                        maxMemoryUsedMb(process),
                        firstReport.getAndSet(false) ? initDuration() : null)));
            }
        }

        private Duration initDuration() {
            return initEndNanos == 0 ? null : Duration.ofNanos(initEndNanos - startNanos);
        }

        private void drainOutput() {
            for (OutputPump pump : pumps) {
                pump.drain();
            }
        }

        @Override
        public void initDone(long nanoTime) {
            initDoneNanos = nanoTime;
            if (initEndNanos == 0) {
                initEndNanos = nanoTime;
            }
        }

        @Override
        public void dispatched(Invocation invocation) {
            drainOutput();
            log.add(platform.start(invocation.requestId));
        }

        @Override
        public void initError(String errorType, byte[] errorDocument) {
            long now = System.nanoTime();
            if (initEndNanos == 0) {
                initEndNanos = now;
            }
            // Answered once the runtime has exited (it does after reporting), so its last words are in the log first.
            initError = new InitError(errorType, errorDocument, now);
        }

        /**
         * Lambda starts the runtime with its telemetry log open as file descriptor {@value #TELEMETRY_FD}; a shell
         * opens it here and then replaces itself with the runtime's command, so the JVM keeps the process id.
         */
        private List<String> launch(Path telemetry) {
            List<String> launch = new ArrayList<>(
                    List.of("/bin/sh", "-c", "exec " + TELEMETRY_FD + ">>\"$0\" && exec \"$@\"", telemetry.toString()));
            launch.addAll(command());
            return launch;
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            if (wrapper != null) {
                // Lambda execs the wrapper with the runtime's own command line as its arguments.
                command.add(wrapper.toString());
            }
            command.add(spec.javaExecutable().toString());
            command.add("-XX:MaxHeapSize=" + (long) (spec.memoryMb() * 1024L * HEAP_SHARE_OF_MEMORY) + "k");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:+TieredCompilation");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
            command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
            command.add("-XX:+ErrorFileToStderr");
            command.add("-D" + RuntimeClient.JNI_PROPERTY + "=" + client.jniLibrary());
            command.add("-classpath");
            command.add(String.join(
                    ":", client.classpath().stream().map(Path::toString).toList()));
            command.add(RuntimeClient.MAIN_CLASS);
            command.add(spec.handler());
            return command;
        }

        /** Lambda's variables for a Java function; the function's own come last and cannot replace these. */
        private Map<String, String> environment(String runtimeApi) {
            String name = spec.effectiveFunctionName();
            Path javaBin = spec.javaExecutable().getParent();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", javaBin + ":/usr/local/bin:/usr/bin:/bin:" + opt.resolve("bin"));
            env.put(
                    "LD_LIBRARY_PATH",
                    String.join(
                            ":",
                            client.directory().resolve("lib").toString(),
                            taskRoot.toString(),
                            taskRoot.resolve("lib").toString(),
                            opt.resolve("lib").toString()));
            env.put("LANG", "C.UTF-8");
            env.put("TZ", ":UTC");
            env.put("_HANDLER", spec.handler());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("LAMBDA_RUNTIME_DIR", client.directory().toString());
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java" + javaFeatureVersion());
            env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
            env.put("_LAMBDA_TELEMETRY_LOG_FD", Integer.toString(TELEMETRY_FD));
            env.put("AWS_LAMBDA_FUNCTION_NAME", name);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", PlatformLines.VERSION);
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
            env.put(
                    "AWS_LAMBDA_LOG_STREAM_NAME",
                    STREAM_DATE.format(Instant.now()) + "/[" + PlatformLines.VERSION + "]"
                            + HexFormat.of().formatHex(randomBytes(16)));
            env.put("AWS_LAMBDA_LOG_FORMAT", spec.logFormat().lambdaName());
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", spec.snapStart() ? "snap-start" : "on-demand");
            env.put("AWS_REGION", spec.region());
            env.put("AWS_DEFAULT_REGION", spec.region());
            // Lambda names its X-Ray daemon (169.254.79.129:2000) to every function; here it is loopback.
            env.put("AWS_XRAY_DAEMON_ADDRESS", XRAY_DAEMON);
            env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
            if (spec.maxConcurrency() != null) {
                env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(spec.maxConcurrency()));
            }
            if (wrapper != null) {
                env.put("AWS_LAMBDA_EXEC_WRAPPER", wrapper.toString());
            }
            if (spec.policy() != null) {
                env.put(
                        FunctionSpec.POLICY_FILE_VARIABLE,
                        spec.policy().toAbsolutePath().toString());
            }
            env.putAll(spec.environment());
            return env;
        }

        private String javaFeatureVersion() {
            Path release = spec.javaHome().resolve("release");
            try (Stream<String> lines = Files.lines(release)) {
                return lines.filter(line -> line.startsWith("JAVA_VERSION="))
                        .map(line -> line.substring("JAVA_VERSION=".length())
                                .replace("\"", "")
                                .split("[.+-]")[0])
                        .findFirst()
                        .orElseGet(() -> Integer.toString(Runtime.version().feature()));
            } catch (IOException | RuntimeException e) {
                return Integer.toString(Runtime.version().feature());
            }
        }
    }

    private record InitError(String errorType, byte[] errorDocument, long nanoTime) {}

    /** Lambda's trace header: {@code Root=1-<epoch seconds hex>-<96-bit id>;Parent=<64-bit id>;Sampled=0 or 1}. */
    static String traceId(boolean sampled) {
        HexFormat hex = HexFormat.of();
        return "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + hex.formatHex(randomBytes(12))
                + ";Parent=" + hex.formatHex(randomBytes(8)) + ";Sampled=" + (sampled ? "1" : "0");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Peak resident memory of the function JVM, as REPORT's "Max Memory Used"; null where Linux does not tell. */
    static Long maxMemoryUsedMb(Process process) {
        if (process == null) {
            return null;
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst()
                    .orElse(null);
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** Ends the run as Lambda ends an execution environment: SIGTERM, a short grace, then SIGKILL. */
    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(process);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
