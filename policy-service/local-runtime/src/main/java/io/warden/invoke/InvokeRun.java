package io.warden.invoke;

import java.time.Duration;
import java.util.List;

/**
 * What a local run produced: one result per event, in the order the events were given, the init duration (null when
 * the runtime never asked for an event) and the function's log.
 */
public record InvokeRun(List<InvocationResult> results, Duration initDuration, List<String> log) {

    public InvokeRun {
        results = List.copyOf(results);
        log = List.copyOf(log);
    }

    public boolean allSucceeded() {
        return results.stream().allMatch(InvocationResult::succeeded);
    }
}
