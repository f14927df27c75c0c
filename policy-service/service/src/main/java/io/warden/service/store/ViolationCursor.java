package io.warden.service.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position of the last event of a page, (time, id), handed to clients as an opaque string. The next page holds
 * the events strictly older in (time, id) order. Both stores order by the same key, so a cursor means the same thing
 * on each.
 */
public record ViolationCursor(long timeMillis, String id) {

    private static final char SEPARATOR = ':';

    public String encode() {
        String plain = timeMillis + String.valueOf(SEPARATOR) + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException naming the value when it is not a cursor that {@link #encode} made */
    public static ViolationCursor decode(String cursor) {
        IllegalArgumentException invalid =
                new IllegalArgumentException("cursor \"" + cursor + "\" is not a cursor this service issued");
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid;
        }
        int separator = plain.indexOf(SEPARATOR);
        if (separator < 1 || separator == plain.length() - 1) {
            throw invalid;
        }
        long timeMillis;
        try {
            timeMillis = Long.parseLong(plain.substring(0, separator));
        } catch (NumberFormatException e) {
            throw invalid;
        }
        if (!EventTimes.containsMillis(timeMillis)) {
            throw invalid;
        }
        return new ViolationCursor(timeMillis, plain.substring(separator + 1));
    }

    /** Whether an event at (time, id) comes after this cursor in newest-first order, i.e. is strictly older. */
    public boolean isAfter(long otherTimeMillis, String otherId) {
        return otherTimeMillis < timeMillis || (otherTimeMillis == timeMillis && otherId.compareTo(id) < 0);
    }
}
