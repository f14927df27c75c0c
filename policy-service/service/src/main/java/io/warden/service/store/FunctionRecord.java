package io.warden.service.store;

import java.time.Instant;

/**
 * A function of the inventory. {@code agentVersion} and {@code mode} come from its latest report, {@code lastSeen} is
 * when that report arrived (all null when it never reported); {@code blocked} and {@code alerted} add up the
 * {@code count} of its stored violations; {@code latestScan} (without its full result) is null when it was never
 * scanned.
 */
public record FunctionRecord(
        String name,
        String agentVersion,
        String mode,
        Instant firstSeen,
        Instant lastSeen,
        long blocked,
        long alerted,
        ScanRecord latestScan) {}
