package io.warden.invoke;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One event on its way through the Runtime API: queued, handed to the runtime, then answered. */
final class Invocation {

    final String requestId;
    final byte[] event;
    final String traceId;
    final String functionArn;
    final Duration timeout;
    final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
    /** Set once the runtime has taken the event: System.nanoTime() and the epoch deadline it was given. */
    volatile long dispatchedNanos;

    volatile long deadlineEpochMillis;

    Invocation(String requestId, byte[] event, String traceId, String functionArn, Duration timeout) {
        this.requestId = requestId;
        this.event = event;
        this.traceId = traceId;
        this.functionArn = functionArn;
        this.timeout = timeout;
    }

    boolean dispatched() {
        return dispatchedNanos != 0;
    }

    Duration elapsed() {
        return dispatched() ? Duration.ofNanos(System.nanoTime() - dispatchedNanos) : Duration.ZERO;
    }

    /** Completes the invocation unless it already ended; returns whether this call ended it. */
    boolean finish(InvocationResult.Status status, byte[] payload, String errorType) {
        return result.complete(new InvocationResult(requestId, status, payload, errorType, elapsed()));
    }
}
