package io.warden.service.store.observations;

import java.time.Instant;
import java.util.List;

/**
 * What was observed of a function over several of its versions, added up.
 *
 * @param lines the observation lines of every version
 * @param dropped the items the agents' caps dropped
 * @param refusedItems the new items the store's cap refused
 * @param firstSeen the earliest line, or null when there is none
 * @param lastSeen the latest line, or null when there is none
 * @param versions the versions, in the order given
 */
public record ObservedPeriod(
        long lines, long dropped, long refusedItems, Instant firstSeen, Instant lastSeen, List<String> versions) {

    public static ObservedPeriod of(List<ObservedVersion> versions) {
        long lines = 0;
        long dropped = 0;
        long refused = 0;
        Instant first = null;
        Instant last = null;
        for (ObservedVersion v : versions) {
            lines += v.lines();
            dropped += v.dropped();
            refused += v.refusedItems();
            first = first == null || v.firstSeen().isBefore(first) ? v.firstSeen() : first;
            last = last == null || v.lastSeen().isAfter(last) ? v.lastSeen() : last;
        }
        return new ObservedPeriod(
                lines,
                dropped,
                refused,
                first,
                last,
                versions.stream().map(ObservedVersion::version).toList());
    }
}
