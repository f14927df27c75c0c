package io.warden.service.learn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When what was observed of a function is enough to trust a suggestion from it (docs/policy.md, "Suggested policy"):
 * the suggested policy and the fleet's learning summary warn by the same measures.
 */
final class Trust {

    /** Observed for less than this, periodic paths may not have run. */
    static final Duration SPAN = Duration.ofDays(7);
    /** Fewer invocations doing something than this, rare inputs may not have been seen. */
    static final long INVOCATIONS = 100;

    private Trust() {}

    /**
     * The warnings of a period.
     *
     * @param from the first time anything was seen, or null when nothing was
     * @param to the last time
     * @param invocations the invocations seen doing something (observation lines, request ids of violations)
     */
    static List<String> warnings(Instant from, Instant to, long invocations) {
        List<String> warnings = new ArrayList<>();
        if (from == null || Duration.between(from, to).compareTo(SPAN) < 0) {
            warnings.add(
                    "observed for less than " + SPAN.toDays() + " days: weekly or monthly paths may not have run yet");
        }
        if (invocations < INVOCATIONS) {
            warnings.add("fewer than " + INVOCATIONS
                    + " invocations seen doing something: rare inputs may not have been seen");
        }
        return warnings;
    }
}
