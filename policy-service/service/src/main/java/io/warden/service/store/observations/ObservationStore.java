package io.warden.service.store.observations;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the agents observed their functions do ({@link Observation} lines), per function and function version, merged:
 * one {@link StoredItem} per distinct item ({@link ObservedItem#key()}), with first and last seen, the summed count and
 * the last caller, and one {@link ObservedVersion} per version with the lines that reached it. Bounded: by default at
 * most 10,000 distinct items and 100 versions per function ({@link Limits}); what the caps refuse is counted
 * ({@link ObservationTotals}), never stored. A line is merged once per function and id, however often it is delivered
 * (a retried log batch, a redriven one, a re-sent POST): its id is kept {@link #LINE_ID_RETENTION} after it was first
 * recorded. The SQLite and DynamoDB implementations are held to the same contract tests.
 */
public interface ObservationStore {

    /** How long the id of a merged line is kept, so that a copy delivered later merges nothing: as violation ids are. */
    Duration LINE_ID_RETENTION = Duration.ofDays(90);

    /**
     * Merges one observation line: each item into its stored one (or a new one while the function is below its cap),
     * the line into its version's counters; unless a line of the function with the same id was recorded before, when it
     * merges nothing and answers {@link RecordResult#DUPLICATE}. A line without an id (from an agent before ids) is
     * merged each time it is recorded.
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

    /**
     * What one {@link #record} did: items merged or added, items refused by the cap; or nothing, the line's id being
     * recorded already ({@code duplicate}).
     */
    record RecordResult(int accepted, int refused, boolean duplicate) {
        public static final RecordResult DUPLICATE = new RecordResult(0, 0, true);

        /** A line that was merged. */
        public RecordResult(int accepted, int refused) {
            this(accepted, refused, false);
        }
    }

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
