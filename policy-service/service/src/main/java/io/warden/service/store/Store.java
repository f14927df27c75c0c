package io.warden.service.store;

import io.warden.aws.findings.FindingStore;
import java.util.List;
import java.util.Optional;

/**
 * Everything the policy service keeps: violation reports, the function inventory, policies, scans, tokens and the AWS
 * scan's findings. Two implementations, {@code sqlite} (embedded, for {@code warden serve}) and {@code dynamodb} (on
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

    /** Every function that reported or was scanned, by name. */
    List<FunctionRecord> functions();

    void putPolicy(StoredPolicy policy);

    Optional<StoredPolicy> policy(String function);

    /** Stores a scan and makes it the function's latest scan. */
    void putScan(ScanRecord scan);

    Optional<ScanRecord> scan(String id);

    void putToken(TokenRecord token);

    Optional<TokenRecord> token(String sha256Hex);

    /**
     * The AWS scan's inventory and findings (functions, layer versions, packages), kept in the same database as the
     * rest: what {@code GET /v1/findings} reads and the scans write.
     */
    FindingStore findings();

    /** Fails when the store cannot be reached. */
    void checkHealth();

    @Override
    void close();
}
