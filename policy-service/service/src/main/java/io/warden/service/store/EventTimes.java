package io.warden.service.store;

import java.time.Instant;

/**
 * The times the service stores and queries: from 1970 (stored as epoch milliseconds) through the year 9999 (written as
 * four-digit years, which is what the agent's event reader, {@code ViolationJson}, reads back).
 */
public final class EventTimes {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private EventTimes() {}

    public static boolean contains(Instant time) {
        return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
    }

    public static boolean containsMillis(long epochMillis) {
        return epochMillis >= EARLIEST.toEpochMilli() && epochMillis <= LATEST.toEpochMilli();
    }

    /** What a message says of the range, e.g. after the offending value. */
    public static String describe() {
        return "outside " + EARLIEST + " to " + LATEST;
    }
}
