package io.warden.service.ingest;

import io.warden.service.store.IngestResult;
import io.warden.service.store.observations.ObservationStore;
import java.util.ArrayList;
import java.util.List;

/**
 * What one delivery of a function's log lines came to.
 *
 * @param function the function whose log group it was, or null when it was not a function's
 * @param lines the log events delivered
 * @param accepted violations stored now
 * @param duplicates violations stored before (a delivery again, or the same event reported to the API)
 * @param observations observation lines merged into the function's observations
 * @param duplicateObservations observation lines merged before (a delivery again, or the same line posted to the API),
 *     which merged nothing
 * @param observedItems their items merged or added
 * @param refusedItems their items the store's cap refused
 * @param ignored lines that are not Warden's event lines
 * @param rejected lines that could not be stored, each named in {@code rejections} up to a limit
 */
public record IngestSummary(
        String messageType,
        String logGroup,
        String logStream,
        String function,
        int lines,
        int accepted,
        int duplicates,
        int observations,
        int duplicateObservations,
        int observedItems,
        int refusedItems,
        int ignored,
        int rejected,
        List<Rejection> rejections) {

    public IngestSummary {
        rejections = List.copyOf(rejections);
    }

    /** A line that could not be stored: its log event id and why. */
    public record Rejection(String logEventId, String reason) {}

    static final class Builder {
        private final LogBatch batch;
        private final int listed;
        private final List<Rejection> rejections = new ArrayList<>();
        private String function;
        private int accepted;
        private int duplicates;
        private int observations;
        private int duplicateObservations;
        private int observedItems;
        private int refusedItems;
        private int ignored;
        private int rejected;

        Builder(LogBatch batch, int listed) {
            this.batch = batch;
            this.listed = listed;
        }

        Builder function(String name) {
            function = name;
            return this;
        }

        void reject(String logEventId, String reason) {
            rejected++;
            if (rejections.size() < listed) {
                rejections.add(new Rejection(logEventId, reason));
            }
        }

        void ignore() {
            ignored++;
        }

        void stored(IngestResult result) {
            accepted += result.accepted();
            duplicates += result.duplicates();
        }

        void observed(ObservationStore.RecordResult result) {
            if (result.duplicate()) {
                duplicateObservations++;
                return;
            }
            observations++;
            observedItems += result.accepted();
            refusedItems += result.refused();
        }

        IngestSummary build() {
            return new IngestSummary(
                    batch.messageType(),
                    batch.logGroup(),
                    batch.logStream(),
                    function,
                    batch.logEvents().size(),
                    accepted,
                    duplicates,
                    observations,
                    duplicateObservations,
                    observedItems,
                    refusedItems,
                    ignored,
                    rejected,
                    rejections);
        }
    }
}
