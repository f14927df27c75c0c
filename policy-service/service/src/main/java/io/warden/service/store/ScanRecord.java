package io.warden.service.store;

import java.time.Instant;

/**
 * A package scan kept by the service.
 *
 * @param summaryJson a JSON object summarising the result (shown in the inventory)
 * @param resultJson the full result, a JSON document; null in the inventory's {@link FunctionRecord#latestScan()}
 */
public record ScanRecord(String id, String function, Instant createdAt, String summaryJson, String resultJson) {

    public ScanRecord withoutResult() {
        return new ScanRecord(id, function, createdAt, summaryJson, null);
    }
}
