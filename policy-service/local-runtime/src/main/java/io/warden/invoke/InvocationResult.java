package io.warden.invoke;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How one invocation ended, as Lambda reports it to the caller.
 *
 * @param payload the function's response, or the error document Lambda returns for a failure
 * @param errorType the {@code Lambda-Runtime-Function-Error-Type} of a failure, or null on success
 * @param duration from the moment the runtime received the event to the moment it answered
 */
public record InvocationResult(String requestId, Status status, byte[] payload, String errorType, Duration duration) {

    public enum Status {
        /** The runtime posted a response. */
        SUCCESS,
        /** The handler failed and the runtime posted to {@code /invocation/{id}/error}. */
        ERROR,
        /** The function could not start and the runtime posted to {@code /init/error}. */
        INIT_ERROR,
        /** The invocation ran past its timeout and the runtime was stopped. */
        TIMEOUT,
        /** The runtime exited or was stopped before answering. */
        RUNTIME_EXIT
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
