package io.warden.agent.core.report;

import io.warden.agent.core.invocation.Invocation;
import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.service.ReportSender;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Decision;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.policy.internal.JsonWriter;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes Warden's lines to the process's standard output, one JSON object per line (CloudWatch Logs keeps each line as
 * an event and Logs Insights discovers its fields). Writes go straight to file descriptor 1, so the function replacing
 * {@code System.out} changes nothing.
 *
 * <p>The first occurrence of a violation is written at once; identical ones within {@link #AGGREGATION_WINDOW_NANOS}
 * are only counted, and written as one line with their {@code count} when the window closes or on {@link #flush()}.
 * So a loop can neither flood the log nor slow the function.
 */
public final class ViolationReporter {

    static final long AGGREGATION_WINDOW_NANOS = 1_000_000_000L;
    /** Distinct violations tracked for aggregation at once; past that, pending counts are flushed. */
    static final int MAX_TRACKED = 1024;

    static final String KERNEL_UUID = "/proc/sys/kernel/random/uuid";
    private static final int UUID_LENGTH = 36;

    /** The FunctionName dimension outside Lambda, where AWS_LAMBDA_FUNCTION_NAME is not set. */
    public static final String UNKNOWN_FUNCTION = "unknown";

    private final OutputStream out;
    private final String functionName;
    private final Invocations invocations;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Set<String> reportedErrors = ConcurrentHashMap.newKeySet();
    /**
     * Blocked and alerted violations per category since the metrics were last written: counted for the function, not
     * per invocation, so that a violation no invocation owns (on a thread of the function's own while several run or
     * none does, or in a scope that never ends) still counts. Guarded by {@code blocked}.
     */
    private final int[] blocked = new int[Category.values().length];

    private final int[] alerted = new int[Category.values().length];
    private volatile Thread flusher;
    private final Object idLock = new Object();
    private RandomAccessFile idSource;
    private SplittableRandom idFallback;
    private volatile ReportSender sender;
    private long droppedReported;

    public ViolationReporter(OutputStream out, String functionName, Invocations invocations) {
        this.out = out;
        this.functionName = functionName;
        this.invocations = invocations;
    }

    /** One pending aggregation: the first event of the window and how many more came after it. */
    private static final class Window {
        final long startNanos;
        final Violation first;
        int repeats;

        Window(long startNanos, Violation first) {
            this.startNanos = startNanos;
            this.first = first;
        }
    }

    public void report(Category category, String operation, String target, Decision decision) {
        Invocation invocation = invocations.attributed();
        if (invocations.wrapsHandler()) {
            count(category, decision.action());
        }
        String requestId = invocation == null ? null : invocation.requestId();
        String key = category.jsonName()
                + '\n'
                + operation
                + '\n'
                + target
                + '\n'
                + decision.action().jsonName()
                + '\n'
                + decision.rule()
                + '\n'
                + requestId;
        long now = System.nanoTime();
        Window window = windows.get(key);
        if (window != null && now - window.startNanos < AGGREGATION_WINDOW_NANOS) {
            synchronized (window) {
                window.repeats++;
            }
            return;
        }
        Violation violation = violation(category, operation, target, decision, CallerFinder.caller(), invocation);
        Window replaced = windows.put(key, new Window(now, violation));
        if (replaced != null) {
            writeRepeats(replaced);
        } else if (windows.size() > MAX_TRACKED) {
            flush();
        }
        emit(violation);
        startFlusher();
    }

    /** Writes the counts of every window with repeats; called at the end of an invocation and at shutdown. */
    public void flush() {
        long now = System.nanoTime();
        List<Window> done = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (now - window.startNanos >= AGGREGATION_WINDOW_NANOS || windows.size() > MAX_TRACKED) {
                it.remove();
            }
            done.add(window);
        }
        for (Window window : done) {
            writeRepeats(window);
        }
    }

    private void writeRepeats(Window window) {
        int repeats;
        synchronized (window) {
            repeats = window.repeats;
            window.repeats = 0;
        }
        if (repeats > 0) {
            Violation first = window.first;
            emit(first.toBuilder()
                    .id(newId())
                    .time(Instant.now())
                    .count(repeats)
                    .build());
        }
    }

    /** One violation line on standard output, and the same event to the service when there is one. */
    private void emit(Violation violation) {
        String json = ViolationJson.toJsonLine(violation);
        write(json);
        ReportSender reportSender = sender;
        if (reportSender != null) {
            reportSender.enqueue(json);
        }
    }

    private Violation violation(
            Category category,
            String operation,
            String target,
            Decision decision,
            String caller,
            Invocation invocation) {
        Violation.Builder builder = Violation.builder()
                .id(newId())
                .time(Instant.now())
                .function(functionName)
                .category(category)
                .operation(operation)
                .target(target)
                .decision(decision)
                .caller(caller)
                .count(1);
        if (invocation != null) {
            builder.requestId(invocation.requestId())
                    .functionVersion(invocation.functionVersion())
                    .coldStart(invocation.coldStart())
                    .phase(invocations.isInit(invocation) ? Violation.PHASE_INIT : Violation.PHASE_INVOKE);
        }
        return builder.build();
    }

    /** From now on, every event also goes to the policy service. */
    public void sendTo(ReportSender reportSender) {
        this.sender = reportSender;
    }

    /** At the start of the first invocation: the init phase's metrics, if it had violations. */
    public void initEnded() {
        writeMetrics();
    }

    /**
     * At the end of an invocation's scope, before its response is returned: the metrics of every violation since the
     * last were written, whichever invocation it belonged to, if any; at the end of the outermost scope (the
     * invocation, not null) also the pending counts and queued events.
     */
    public void invocationEnded(Invocation invocation) {
        writeMetrics();
        if (invocation == null) {
            return;
        }
        flush();
        ReportSender reportSender = sender;
        if (reportSender != null) {
            reportSender.flush(ReportSender.FLUSH_BUDGET_MILLIS);
            reportDropped(reportSender);
        }
    }

    /** When the JVM exits: pending counts, and queued events get {@link ReportSender#EXIT_BUDGET_MILLIS} to leave. */
    public void exiting() {
        flush();
        writeMetrics();
        ReportSender reportSender = sender;
        if (reportSender != null) {
            reportSender.flush(ReportSender.EXIT_BUDGET_MILLIS);
        }
    }

    /** Says how many events the service did not get, whenever that number has grown. */
    private synchronized void reportDropped(ReportSender reportSender) {
        long dropped = reportSender.dropped();
        if (dropped > droppedReported) {
            droppedReported = dropped;
            line(
                    "status",
                    "state",
                    "reports-dropped",
                    "dropped",
                    Long.toString(dropped),
                    "message",
                    "events the policy service did not receive; they are in this log");
        }
    }

    private void writeMetrics() {
        for (String record : MetricsRecord.forInvocation(
                functionName == null ? UNKNOWN_FUNCTION : functionName, takeCounts(), System.currentTimeMillis())) {
            write(record);
        }
    }

    private void count(Category category, Action action) {
        synchronized (blocked) {
            if (action == Action.BLOCKED) {
                blocked[category.ordinal()]++;
            } else if (action == Action.ALERTED) {
                alerted[category.ordinal()]++;
            }
        }
    }

    /** The counts since they were last taken, blocked then alerted per category. */
    private int[][] takeCounts() {
        synchronized (blocked) {
            int[][] counts = {blocked.clone(), alerted.clone()};
            Arrays.fill(blocked, 0);
            Arrays.fill(alerted, 0);
            return counts;
        }
    }

    /**
     * A random id of a violation event or observation line for idempotent ingestion, made by the kernel: each read of
     * {@link #KERNEL_UUID} is a new random UUID, so copies of a SnapStart snapshot never repeat each other's ids, as a
     * generator seeded before the snapshot would. Not from {@code SecureRandom}: its providers are the function's to
     * replace, and this runs while the thread's checks are off. The file is opened once, on the first violation or
     * observation line (whose writing is exempt); later ids are reads of it, which no hook sees. Where it cannot be read (not Linux), ids come from a generator seeded with
     * the time.
     */
    private String newId() {
        synchronized (idLock) {
            try {
                if (idSource == null && idFallback == null) {
                    idSource = new RandomAccessFile(KERNEL_UUID, "r");
                }
                if (idSource != null) {
                    byte[] uuid = new byte[UUID_LENGTH];
                    idSource.seek(0);
                    idSource.readFully(uuid);
                    return new String(uuid, StandardCharsets.US_ASCII);
                }
            } catch (IOException unreadable) {
                idFallback = new SplittableRandom(System.nanoTime() ^ System.currentTimeMillis());
                idSource = null;
            }
            return new UUID(idFallback.nextLong(), idFallback.nextLong()).toString();
        }
    }

    /**
     * After a SnapStart restore: aggregation starts afresh in this copy; says that it was restored. Pending counts are
     * written first (none, after the runtime's checkpoint), so that no call of this loses a violation.
     */
    public void restored() {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            it.remove();
            writeRepeats(window);
        }
        line("status", "state", "restored");
    }

    /**
     * An observation line (docs/agent.md#observation) with a new id, also to the policy service when there is one: one
     * line, its id included, both ways, so the service merges it once however many copies reach it.
     */
    public void observation(Observation observation) {
        String line = ObservationJson.toJsonLine(observation.withId(newId()));
        write(line);
        ReportSender reportSender = sender;
        if (reportSender != null) {
            reportSender.enqueue(line);
        }
    }

    /** Something could not be observed; said once per kind. Enforcement is not affected. */
    public void observationFailed(String what, Throwable error) {
        if (reportedErrors.add("observation " + what)) {
            line("error", "message", "could not observe " + what + ", which go unobserved: " + error);
        }
    }

    /** Reports an internal error once per place; the agent keeps running on the baseline. */
    public void internalError(String where, Throwable error) {
        if (reportedErrors.add(where)) {
            line("error", "message", "internal error in " + where + "; continuing with the baseline policy: " + error);
        }
    }

    /**
     * A check that failed (Warden's own error, or an object of the caller's that could not be read), said once per
     * hook; the baseline policy decides that operation instead.
     */
    public void checkFailed(String where, Throwable error) {
        if (reportedErrors.add(where)) {
            line(
                    "error",
                    "message",
                    "error in the check of " + where + " (Warden's own, or an object of the caller's "
                            + "that could not be read); the baseline policy decides instead: " + error);
        }
    }

    /** The policy service could not be used; said once per cause. */
    public void serviceError(String message) {
        if (reportedErrors.add(message)) {
            line("error", "message", "policy service: " + message);
        }
    }

    public void policyError(String source, String message) {
        line(
                "error",
                "message",
                "invalid policy, enforcing the baseline only (fail closed): " + message,
                "source",
                source);
    }

    public void status(String state, String policySource, int hooks, long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        line(
                "status",
                "state",
                state,
                "policySource",
                policySource,
                "hooks",
                Integer.toString(hooks),
                "startupMillis",
                Long.toString(millis));
    }

    /**
     * The self-check of the woven hooks: a status line each time; for hooks newly found not woven, an error line naming
     * them and an {@code AgentFailed} metric, since the operations they check go through unchecked.
     *
     * @param pending expected hooks whose class the JVM has not loaded yet (each is checked when it does)
     * @param missing every expected hook found not woven so far
     * @param newlyMissing those of them not reported before
     */
    public void hooksChecked(
            String jdk, int expected, int woven, int pending, List<String> missing, List<String> newlyMissing) {
        line(
                "status",
                "state",
                "hooks-checked",
                "jdk",
                jdk,
                "expected",
                Integer.toString(expected),
                "woven",
                Integer.toString(woven),
                "pending",
                Integer.toString(pending),
                "missing",
                String.join(", ", missing));
        if (!newlyMissing.isEmpty()) {
            line(
                    "error",
                    "message",
                    "hooks not woven on JDK " + jdk + ", so their operations are not checked: "
                            + String.join(", ", newlyMissing));
            write(MetricsRecord.agentFailed(
                    functionName == null ? UNKNOWN_FUNCTION : functionName, System.currentTimeMillis()));
        }
    }

    /**
     * Hooks that did not weave into an AWS SDK's class as it loaded (an SDK version that changed the method): an error
     * line naming them and an {@code AgentFailed} metric, since that SDK's calls go unobserved.
     */
    public void sdkHooksNotWoven(String className, List<String> missing) {
        line(
                "error",
                "message",
                "AWS SDK hooks not woven into " + className + ", so its calls are not observed: "
                        + String.join(", ", missing));
        write(MetricsRecord.agentFailed(
                functionName == null ? UNKNOWN_FUNCTION : functionName, System.currentTimeMillis()));
    }

    private void line(String kind, String... fields) {
        JsonWriter json = new JsonWriter(256).startObject().name("warden").value(kind);
        if (functionName != null) {
            json.name("function").value(functionName);
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            json.name(fields[i]).value(fields[i + 1]);
        }
        write(json.endObject().toString());
    }

    private void write(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closed) {
                // Standard output is gone; nothing else to tell.
            }
        }
    }

    /** A daemon thread that closes aggregation windows, so counts are written even if the function goes quiet. */
    private void startFlusher() {
        if (flusher != null) {
            return;
        }
        synchronized (this) {
            if (flusher != null) {
                return;
            }
            // Inherits no thread-local values: copying them would call the function's InheritableThreadLocal.childValue
            // here, while this thread's checks are off.
            Thread thread = new Thread(
                    null,
                    new Runnable() {
                        @Override
                        public void run() {
                            while (true) {
                                try {
                                    Thread.sleep(AGGREGATION_WINDOW_NANOS / 1_000_000);
                                } catch (InterruptedException stop) {
                                    return;
                                }
                                flush();
                            }
                        }
                    },
                    "warden-reporter",
                    0,
                    false);
            thread.setDaemon(true);
            flusher = thread;
            thread.start();
        }
    }
}
