package io.warden.service.store;

/**
 * The ids of violation events and observation lines, however they arrive (a report to the API, a line of a function's
 * log).
 */
public final class EventIds {

    public static final int MAX_CHARS = 128;

    private EventIds() {}

    /** 1 to {@value #MAX_CHARS} printable ASCII characters, no space. */
    public static boolean isValid(String id) {
        return id != null
                && !id.isEmpty()
                && id.length() <= MAX_CHARS
                && id.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }

    /** What a valid id is, for a message. */
    public static String describe() {
        return "1-" + MAX_CHARS + " printable ASCII characters";
    }
}
