package io.warden.service.store.observations;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import java.util.List;
import java.util.Optional;

/**
 * What the agents observed their functions do ({@link Observation} lines), per function and function version, merged:
 * one {@link StoredItem} per distinct item ({@link ObservedItem#key()}), with first and last seen, the summed count and
 * the last caller, and one {@link ObservedVersion} per version with the lines that reached it. Bounded: by default at
 * most 10,000 distinct items and 100 versions per function ({@link Limits}); what the caps refuse is counted
 * ({@link ObservationTotals}), never stored. The SQLite and DynamoDB implementations are held to the same contract
 * tests.
 */
public interface ObservationStore {

    /**
     * Merges one observation line: each item into its stored one (or a new one while the function is below its cap),
     * the line into its version's counters.
     *
     * @param observation a line whose {@code function} and {@code functionVersion} are set
     */
    RecordResult record(Observation observation);

    /** The function's observed versions, by version. */
    List<ObservedVersion> versions(String function);

    /** The function's observed items of one version, or of every version when {@code version} is null. */
    List<StoredItem> items(String function, String version);

    /** The function's item and version counts and what the caps refused; empty when nothing was observed. */
    Optional<ObservationTotals> totals(String function);

    /** The caps this store holds each function to. */
    Limits limits();

    /** What one {@link #record} did: items merged or added, items refused by the cap. */
    record RecordResult(int accepted, int refused) {}

    /**
     * The caps per function.
     *
     * @param maxItems distinct items (over all its versions) a function may have stored
     * @param maxVersions versions a function may have observations of; a line of a further version is refused whole
     */
    record Limits(int maxItems, int maxVersions) {
        public static final Limits DEFAULT = new Limits(10_000, 100);
    }
}
