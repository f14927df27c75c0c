package io.warden.aws.iam;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How much of a function was observed: what a suggestion's confidence rests on.
 *
 * @param lines the observation lines received (the agent writes one per invocation that did something it had not done
 *     before in its JVM, so this counts invocations that showed something new, not all invocations)
 * @param firstSeen the first line's time, or null when nothing was observed
 * @param lastSeen the last line's time, or null
 * @param versions the function versions observed
 * @param dropped distinct items the agents' or the store's caps refused: what the suggestion cannot know about
 */
public record ObservationEvidence(
        long lines, Instant firstSeen, Instant lastSeen, List<String> versions, long dropped) {

    public ObservationEvidence {
        versions = List.copyOf(versions);
    }

    public static final ObservationEvidence NONE = new ObservationEvidence(0, null, null, List.of(), 0);

    /** The time between the first and the last line; zero with fewer than two. */
    public Duration span() {
        return firstSeen == null || lastSeen == null ? Duration.ZERO : Duration.between(firstSeen, lastSeen);
    }
}
