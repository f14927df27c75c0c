package io.warden.aws.scan;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How an AWS scan runs. Defaults suit a scheduled scan in one account; every limit is a named constant.
 *
 * @param regions the regions whose functions are scanned
 * @param accountIds member accounts to scan through {@code roleName}; empty scans only the caller's own account
 * @param organization scan every active account of the AWS Organization as well (the caller must be allowed
 *     {@code organizations:ListAccounts}, that is be the management or a delegated administrator account)
 * @param roleName the role assumed in each member account
 * @param endpointOverride one endpoint for every AWS API (a local fake), or null for AWS's own
 * @param concurrency functions scanned at the same time
 * @param downloadConcurrency packages downloaded and read at the same time (each holds at most one entry of
 *     16 MiB in memory)
 * @param wardenLayerName the name of the Warden layer, as published in each account and region
 * @param maxAttempts attempts per AWS call, retries of throttled and failed calls included
 * @param retryBaseDelay the first retry's delay; later ones back off exponentially with jitter
 */
public record ScanSettings(
        List<String> regions,
        List<String> accountIds,
        boolean organization,
        String roleName,
        URI endpointOverride,
        int concurrency,
        int downloadConcurrency,
        String wardenLayerName,
        int maxAttempts,
        Duration retryBaseDelay,
        Clock clock) {

    public static final String DEFAULT_ROLE_NAME = "WardenScanRole";
    public static final String DEFAULT_WARDEN_LAYER_NAME = "warden";
    public static final int MAX_LAYER_NAME_LENGTH = 140;
    private static final String LAYER_NAME = "[A-Za-z0-9_-]{1," + MAX_LAYER_NAME_LENGTH + "}";
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final int DEFAULT_DOWNLOAD_CONCURRENCY = 4;
    public static final int MAX_CONCURRENCY = 64;
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(200);
    /** The longest wait between two attempts of one call. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(20);

    public ScanSettings {
        regions = List.copyOf(regions);
        accountIds = List.copyOf(accountIds);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("no region to scan");
        }
        for (String region : regions) {
            if (!isRegion(region)) {
                throw new IllegalArgumentException("not an AWS region: '" + region + "'");
            }
        }
        for (String account : accountIds) {
            if (!account.matches("\\d{12}")) {
                throw new IllegalArgumentException("not an AWS account id (12 digits): '" + account + "'");
            }
        }
        if (!roleName.matches("[\\w+=,.@-]{1,64}")) {
            throw new IllegalArgumentException("not an IAM role name: '" + roleName + "'");
        }
        if (wardenLayerName == null || !wardenLayerName.matches(LAYER_NAME)) {
            throw new IllegalArgumentException("not a Lambda layer name (letters, digits, - and _, at most "
                    + MAX_LAYER_NAME_LENGTH + "): '" + wardenLayerName + "'");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency " + concurrency + " is not within 1.." + MAX_CONCURRENCY);
        }
        if (downloadConcurrency < 1 || downloadConcurrency > concurrency) {
            throw new IllegalArgumentException(
                    "download concurrency " + downloadConcurrency + " is not within 1.." + concurrency);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts " + maxAttempts + " is below 1");
        }
    }

    /** Whether the name has the form of an AWS region's ({@code eu-west-1}, {@code us-gov-east-1}). */
    public static boolean isRegion(String name) {
        return name.matches("[a-z]{2}(-[a-z]+)+-\\d");
    }

    /** The caller's own account in these regions, with every default. */
    public static ScanSettings of(List<String> regions) {
        return new ScanSettings(
                regions,
                List.of(),
                false,
                DEFAULT_ROLE_NAME,
                null,
                DEFAULT_CONCURRENCY,
                DEFAULT_DOWNLOAD_CONCURRENCY,
                DEFAULT_WARDEN_LAYER_NAME,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_BASE_DELAY,
                Clock.systemUTC());
    }

    public ScanSettings withEndpoint(URI endpoint) {
        return new ScanSettings(
                regions,
                accountIds,
                organization,
                roleName,
                endpoint,
                concurrency,
                downloadConcurrency,
                wardenLayerName,
                maxAttempts,
                retryBaseDelay,
                clock);
    }

    public ScanSettings withAccounts(List<String> accounts, boolean fromOrganization, String role) {
        return new ScanSettings(
                regions,
                accounts,
                fromOrganization,
                role,
                endpointOverride,
                concurrency,
                downloadConcurrency,
                wardenLayerName,
                maxAttempts,
                retryBaseDelay,
                clock);
    }

    public ScanSettings withConcurrency(int functions, int downloads) {
        return new ScanSettings(
                regions,
                accountIds,
                organization,
                roleName,
                endpointOverride,
                functions,
                downloads,
                wardenLayerName,
                maxAttempts,
                retryBaseDelay,
                clock);
    }

    public ScanSettings withRetries(int attempts, Duration baseDelay) {
        return new ScanSettings(
                regions,
                accountIds,
                organization,
                roleName,
                endpointOverride,
                concurrency,
                downloadConcurrency,
                wardenLayerName,
                attempts,
                baseDelay,
                clock);
    }

    public ScanSettings withWardenLayerName(String name) {
        return new ScanSettings(
                regions,
                accountIds,
                organization,
                roleName,
                endpointOverride,
                concurrency,
                downloadConcurrency,
                name,
                maxAttempts,
                retryBaseDelay,
                clock);
    }

    public ScanSettings withClock(Clock c) {
        return new ScanSettings(
                regions,
                accountIds,
                organization,
                roleName,
                endpointOverride,
                concurrency,
                downloadConcurrency,
                wardenLayerName,
                maxAttempts,
                retryBaseDelay,
                c);
    }
}
