package io.warden.service.store.observations;

import java.time.Instant;

/**
 * How much was observed of one function version.
 *
 * @param lines the observation lines stored (the agent writes at most one per invocation, only when it saw something
 *     new, so this is the number of invocations that did something new, not of all invocations)
 * @param dropped the distinct items the agents' own caps refused, summed over the lines
 * @param refusedItems the new items the store's cap ({@link ObservationStore.Limits}) refused
 */
public record ObservedVersion(
        String version, long lines, Instant firstSeen, Instant lastSeen, long dropped, long refusedItems) {}
