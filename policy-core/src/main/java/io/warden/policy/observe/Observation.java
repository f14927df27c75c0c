package io.warden.policy.observe;

import io.warden.policy.Mode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One observation line: what a function did that its JVM had not seen it do before, since the previous line.
 *
 * @param id the line's unique id, by which the service merges a line delivered twice only once; null in lines of agents
 *     from before ids (each delivery of such a line is merged)
 * @param function the function name ({@code AWS_LAMBDA_FUNCTION_NAME}), or null
 * @param functionVersion {@code AWS_LAMBDA_FUNCTION_VERSION}, or null
 * @param account the account of the invoked function's ARN, or null when unknown
 * @param region the function's region ({@code AWS_REGION}), or null
 * @param requestId the invocation the line was written at the end of, or null (before the first invocation)
 * @param time when the line was written, to the millisecond
 * @param mode the policy's top-level mode, or null
 * @param dropped how many operations the agent's bounds kept out of {@code items} since the previous line
 * @param items the items, each distinct by {@link ObservedItem#key()}
 */
public record Observation(
        String id,
        String function,
        String functionVersion,
        String account,
        String region,
        String requestId,
        Instant time,
        Mode mode,
        long dropped,
        List<ObservedItem> items) {
    /** The value of the {@code warden} field, by which log queries find these lines. */
    public static final String KIND = "observation";
    /** The format version, the {@code version} field. */
    public static final int VERSION = 1;

    public Observation {
        time = (time != null ? time : Instant.now()).truncatedTo(ChronoUnit.MILLIS);
        if (dropped < 0) {
            throw new IllegalArgumentException("dropped " + dropped + " is negative");
        }
        if (items == null) {
            throw new IllegalArgumentException("items is missing");
        }
        items = List.copyOf(items);
    }

    /** The same line with the id given. */
    public Observation withId(String newId) {
        return new Observation(
                newId, function, functionVersion, account, region, requestId, time, mode, dropped, items);
    }
}
