package io.warden.service.lambda;

import io.warden.aws.findings.CloudWatchFindingOutput;
import io.warden.aws.findings.InMemoryFindingStore;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.ScanSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The AWS scan as the scan functions run it, configured from their environment: the function's own region
 * ({@value #REGION}) and any in {@value #SCAN_REGIONS}, the Warden layer's name from {@value #LAYER_NAME}; the
 * function's role for credentials; new findings as log lines and metrics on standard output.
 */
public final class ScanFunctionEnvironment {

    /** Set by Lambda: the region the function runs in, always scanned. */
    public static final String REGION = "AWS_REGION";
    /** Optional: more regions to scan, comma-separated. */
    public static final String SCAN_REGIONS = "WARDEN_SCAN_REGIONS";
    /** Optional: the Warden layer's name as published (default {@value ScanSettings#DEFAULT_WARDEN_LAYER_NAME}). */
    public static final String LAYER_NAME = "WARDEN_LAYER_NAME";

    private ScanFunctionEnvironment() {}

    /** The scan settings these variables describe. */
    public static ScanSettings settings(Map<String, String> env) {
        String home = env.get(REGION);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException(REGION + " is not set: the scan functions scan their own region");
        }
        Set<String> regions = new LinkedHashSet<>(List.of(home.strip()));
        Arrays.stream(env.getOrDefault(SCAN_REGIONS, "").split(",")).map(String::strip)
                .filter(region -> !region.isEmpty()).forEach(regions::add);
        ScanSettings settings = ScanSettings.of(List.copyOf(regions));
        String layerName = env.get(LAYER_NAME);
        return layerName == null || layerName.isBlank() ? settings : settings.withWardenLayerName(layerName.strip());
    }

    /** The scanner a scan function uses, made once per execution environment. */
    static AwsScanner scanner(Map<String, String> env) {
        try {
            return new AwsScanner(settings(env), DefaultCredentialsProvider.builder().build(),
                    new InMemoryFindingStore(), null, new CloudWatchFindingOutput(System.out::println, Clock.systemUTC()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the AWS scan", e);
        }
    }
}
