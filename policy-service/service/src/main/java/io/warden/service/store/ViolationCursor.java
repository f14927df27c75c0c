package io.warden.service.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position of the last event of a page, (time, function, id), handed to clients as an opaque string. An event is
 * identified by its function and its id, so both are part of the position. The next page holds the events strictly
 * older in (time, function, id) order. Both stores order by the same key, so a cursor means the same thing on each.
 */
public record ViolationCursor(long timeMillis, String function, String id) {

    private static final char SEPARATOR = ':';

    public String encode() {
        // A function name has no separator in it (letters, digits, '-', '_'); an id may, so it comes last.
        String plain = timeMillis + String.valueOf(SEPARATOR) + function + SEPARATOR + id;
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
        int afterTime = plain.indexOf(SEPARATOR);
        int afterFunction = afterTime < 1 ? -1 : plain.indexOf(SEPARATOR, afterTime + 1);
        if (afterFunction < afterTime + 2 || afterFunction == plain.length() - 1) {
            throw invalid;
        }
        long timeMillis;
        try {
            timeMillis = Long.parseLong(plain.substring(0, afterTime));
        } catch (NumberFormatException e) {
            throw invalid;
        }
        if (!EventTimes.containsMillis(timeMillis)) {
            throw invalid;
        }
        return new ViolationCursor(
                timeMillis, plain.substring(afterTime + 1, afterFunction), plain.substring(afterFunction + 1));
    }
}
