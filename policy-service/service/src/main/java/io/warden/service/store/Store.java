package io.warden.service.store;

import io.warden.aws.findings.FindingStore;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.store.observations.ObservationStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the policy service keeps: violation reports, the function inventory, policies, scans, tokens, the AWS
 * scan's findings and the agents' observations. Two implementations, {@code sqlite} (embedded, for {@code warden serve}) and {@code dynamodb} (on
 * AWS), both held to the same contract tests.
 */
public interface Store extends AutoCloseable {

    /**
     * Stores the report's events that are not stored yet (by event id) and updates the function's inventory entry.
     * When this returns, the events are durable.
     *
     * @throws StoreBusyException when the store cannot take more work right now
     */
    IngestResult ingest(Report report);

    /** Violations matching the query, newest first (event time, then id, descending). */
    ViolationPage violations(ViolationQuery query);

    /**
     * Violations of a time range counted per bucket, per function and per blocked target. This default reads every
     * event of the range page by page (the DynamoDB store keeps no aggregates); the SQLite store counts in SQL.
     */
    default ViolationSummary summarize(SummaryQuery query) {
        ViolationSummary.Builder summary = new ViolationSummary.Builder(query);
        ViolationCursor cursor = null;
        do {
            ViolationPage page = violations(new ViolationQuery(
                    query.function(), null, null, query.since(), query.until(), SUMMARY_PAGE, cursor));
            for (String line : page.events()) {
                Violation event = ViolationJson.parse(line);
                summary.addEvent(
                        event.time().toEpochMilli(),
                        event.function(),
                        event.category(),
                        event.action(),
                        event.target(),
                        event.count());
            }
            cursor = page.next();
        } while (cursor != null);
        return summary.build();
    }

    /** Events read per page by the default {@link #summarize}. */
    int SUMMARY_PAGE = 1_000;

    /** Every function that reported or was scanned, by name. */
    List<FunctionRecord> functions();

    /**
     * Replaces the function's policy. Its revision is the stored one's plus one, or the time of the change in epoch
     * milliseconds when that is more: it only ever grows, also across a store restored from an older copy.
     *
     * @return the policy as stored, with its revision
     */
    StoredPolicy putPolicy(String function, String json, Instant updatedAt);

    Optional<StoredPolicy> policy(String function);

    /** Stores a scan and makes it the function's latest scan. */
    void putScan(ScanRecord scan);

    Optional<ScanRecord> scan(String id);

    void putToken(TokenRecord token);

    Optional<TokenRecord> token(String sha256Hex);

    /** Every token, oldest first. */
    List<TokenRecord> tokens();

    /** Removes the token; false when there was none. */
    boolean deleteToken(String sha256Hex);

    /**
     * The AWS scan's inventory and findings (functions, layer versions, packages), kept in the same database as the
     * rest: what {@code GET /v1/findings} reads and the scans write.
     */
    FindingStore findings();

    /** What the agents observed their functions do, per function and version ({@code POST /v1/observations}). */
    ObservationStore observations();

    /** Fails when the store cannot be reached. */
    void checkHealth();

    @Override
    void close();
}
