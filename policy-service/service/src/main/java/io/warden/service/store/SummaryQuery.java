package io.warden.service.store;

import java.time.Duration;
import java.time.Instant;

/**
 * What to count for a violation summary: events at or after {@code since} and before {@code until}, of one function or
 * (null) all, counted per bucket of {@code bucket} starting at {@code since}, with the {@code top} largest functions and
 * blocked targets.
 */
public record SummaryQuery(String function, Instant since, Instant until, Duration bucket, int top) {

    /** How many buckets the range has (the last one may be cut short by {@code until}). */
    public int buckets() {
        long range = until.toEpochMilli() - since.toEpochMilli();
        long length = bucket.toMillis();
        return (int) ((range + length - 1) / length);
    }

    /** The bucket an event time falls in. */
    public int bucketOf(long timeMillis) {
        return (int) ((timeMillis - since.toEpochMilli()) / bucket.toMillis());
    }
}
