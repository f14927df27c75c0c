package io.warden.service.store.observations;

import java.util.List;
import java.util.Optional;

/**
 * What the agents observed their functions do, per function and function version, merged: one {@link ObservedItem}
 * per distinct item (its kind and identifying fields), with first and last seen, the summed count and the last caller,
 * and one {@link ObservedVersion} per version with the lines that reached it. Bounded: by default at most
 * 10,000 distinct items and 100 versions per function ({@link Limits});
 * what the caps refuse is counted ({@link ObservationTotals}), never stored. The SQLite and DynamoDB implementations
 * are held to the same contract tests.
 */
public interface ObservationStore {

    /** The caps this store holds each function to. */
    Limits limits();

    /**
     * The caps per function.
     *
     * @param maxItems distinct items (over all its versions) a function may have stored
     * @param maxVersions versions a function may have observations of; a line of a further version is refused whole
     */
    record Limits(int maxItems, int maxVersions) {
        public static final Limits DEFAULT = new Limits(10_000, 100);
    }

    /**
     * Merges one observation line: each item into its stored one (or a new one while the function is below its cap),
     * the line into its version's counters.
     */
    RecordResult record(ObservationLine line);

    /** The function's observed versions, by version. */
    List<ObservedVersion> versions(String function);

    /** The function's observed items of one version, or of every version when {@code version} is null. */
    List<ObservedItem> items(String function, String version);

    /** The function's item and version counts and what the caps refused; empty when nothing was observed. */
    Optional<ObservationTotals> totals(String function);

    /** What one {@link #record} did: items merged or added, items refused by the cap. */
    record RecordResult(int accepted, int refused) {}
}
