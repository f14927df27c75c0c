package io.warden.agent.core.service;

import io.warden.policy.internal.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends violation events to the service in batches, and observation lines one by one ({@code POST /v1/observations}),
 * from a thread of its own, with bounded memory: when the queue is
 * full, events are dropped (and counted); they are in CloudWatch all the same, since every event is also a log line.
 * At the end of an invocation {@link #flush} waits for the queue to drain, but only for {@link #FLUSH_BUDGET_MILLIS}:
 * the function's response never waits longer, however slow or broken the service is.
 *
 * <p>The sending thread is checked like any other: only its TCP connect to the service's address goes through the
 * enforcer's exemption ({@link ServiceHttp.Connector}), and nothing the function can replace takes part in sending.
 */
public final class ReportSender {

    static final int MAX_QUEUED = 1000;
    static final int MAX_BATCH = 500;
    /** How long the end of an invocation waits for queued events to leave. */
    public static final long FLUSH_BUDGET_MILLIS = 20;
    /** How long the JVM's exit waits for them. */
    public static final long EXIT_BUDGET_MILLIS = 1000;

    static final int TIMEOUT_MILLIS = 2000;
    /** The service answers a report with a few counts. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** Told why sending failed, when it starts failing (not again until a send has succeeded). */
    public interface Failures {
        void failed(String why);
    }

    private final ServiceHttp http;
    private final Failures failures;
    private volatile boolean failing;
    private final String batchPrefix;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong dropped = new AtomicLong();
    private final Object progress = new Object();
    private volatile int inFlight;

    /**
     * @param connector connects to the service's address, exempt from the policy for that one connect
     * @param failures said why when events stop reaching the service (a refused certificate, a refused provider)
     */
    public ReportSender(
            ServiceConfig service,
            ServiceHttp.Connector connector,
            Failures failures,
            String functionName,
            String agentVersion,
            String mode) {
        this.http = new ServiceHttp(service, connector);
        this.failures = failures;
        this.batchPrefix = new JsonWriter(128)
                        .startObject()
                        .name("function")
                        .value(functionName)
                        .name("agentVersion")
                        .value(agentVersion)
                        .name("mode")
                        .value(mode)
                        .name("events")
                        .toString()
                + "[";
    }

    /** How an observation line starts (io.warden.policy.observe.ObservationJson writes it so), unlike any event. */
    private static final String OBSERVATION = "{\"warden\":\"observation\"";

    /** Queues one event or observation line (a JSON object); never blocks. */
    public void enqueue(String eventJson) {
        if (!queue.offer(eventJson)) {
            dropped.incrementAndGet();
        }
    }

    /** Events that could not be sent (queue full, service down or refusing), since the start. */
    public long dropped() {
        return dropped.get();
    }

    /** The sending loop, on Warden's own thread. */
    public void run() {
        List<String> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                String first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                inFlight = 1;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                sendObservations(batch);
                if (!batch.isEmpty() && !send(batch)) {
                    dropped.addAndGet(batch.size());
                }
            } catch (InterruptedException stop) {
                return;
            } finally {
                batch.clear();
                inFlight = 0;
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }
    }

    /** Waits until everything queued is sent, or the budget is spent. */
    public void flush(long budgetMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        synchronized (progress) {
            while (!queue.isEmpty() || inFlight != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends the observation lines of the batch, each alone, and takes them out of it. */
    private void sendObservations(List<String> batch) {
        for (Iterator<String> it = batch.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.startsWith(OBSERVATION)) {
                it.remove();
                if (!post("v1/observations", line)) {
                    dropped.incrementAndGet();
                }
            }
        }
    }

    private boolean send(List<String> events) {
        StringBuilder body = new StringBuilder(batchPrefix);
        for (int i = 0; i < events.size(); i++) {
            body.append(i == 0 ? "" : ",").append(events.get(i));
        }
        body.append("]}");
        return post("v1/reports", body.toString());
    }

    private boolean post(String path, String body) {
        String failure;
        try {
            int status = http.exchange(
                            "POST",
                            path,
                            "application/json",
                            body.getBytes(StandardCharsets.UTF_8),
                            TIMEOUT_MILLIS,
                            MAX_ANSWER_BYTES)
                    .status;
            if (status >= 200 && status < 300) {
                failing = false;
                return true;
            }
            failure = "the service answered HTTP " + status + " to " + path;
        } catch (IOException | RuntimeException unavailable) {
            failure = "events not sent to " + path + ": " + unavailable;
        }
        if (!failing) {
            failing = true;
            failures.failed(failure);
        }
        return false;
    }
}
