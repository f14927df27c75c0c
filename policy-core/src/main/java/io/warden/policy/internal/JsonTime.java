package io.warden.policy.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The time format of Warden's JSON lines. */
public final class JsonTime {
    private JsonTime() {}

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2024-05-01T12:00:00.042Z}, without java.time's formatter machinery. */
    public static String format(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(24);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, t.getNano() / 1_000_000, 3).append('Z');
        return out.toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
