package io.warden.service.lambda;

import io.warden.aws.findings.CloudWatchFindingOutput;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.iam.ObservationSource;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.ScanSettings;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
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
 * ({@value #REGION}) and any in {@value #SCAN_REGIONS}; member accounts listed in {@value #SCAN_ACCOUNTS} and, with
 * {@value #SCAN_ORGANIZATION} {@code true}, those of the AWS Organization, entered through the role
 * {@value #SCAN_ROLE_NAME}; the Warden layer's name from {@value #LAYER_NAME}. Credentials are the function's role;
 * results are kept in the service's DynamoDB tables ({@link ServiceTables}), so that each invocation builds on the
 * last; new findings go out as log lines and metrics on standard output.
 */
public final class ScanFunctionEnvironment {

    /** Set by Lambda: the region the function runs in, always scanned. */
    public static final String REGION = "AWS_REGION";
    /** Optional: more regions to scan, comma-separated. */
    public static final String SCAN_REGIONS = "WARDEN_SCAN_REGIONS";
    /** Optional: the Warden layer's name as published (default {@value ScanSettings#DEFAULT_WARDEN_LAYER_NAME}). */
    public static final String LAYER_NAME = "WARDEN_LAYER_NAME";
    /** Optional: member account ids to scan, comma-separated. */
    public static final String SCAN_ACCOUNTS = "WARDEN_SCAN_ACCOUNTS";
    /** Optional: {@code true} to scan every active account of the AWS Organization too (default {@code false}). */
    public static final String SCAN_ORGANIZATION = "WARDEN_SCAN_ORGANIZATION";
    /** Optional: the role assumed in member accounts (default {@value ScanSettings#DEFAULT_ROLE_NAME}). */
    public static final String SCAN_ROLE_NAME = "WARDEN_SCAN_ROLE_NAME";

    private ScanFunctionEnvironment() {}

    /** The scan settings these variables describe. */
    public static ScanSettings settings(Map<String, String> env) {
        String home = env.get(REGION);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException(REGION + " is not set: the scan functions scan their own region");
        }
        Set<String> regions = new LinkedHashSet<>(List.of(home.strip()));
        regions.addAll(list(env, SCAN_REGIONS));
        String organization = env.getOrDefault(SCAN_ORGANIZATION, "").strip();
        if (!organization.isEmpty() && !organization.equals("true") && !organization.equals("false")) {
            throw new IllegalArgumentException(
                    SCAN_ORGANIZATION + " is '" + organization + "'; expected true or false");
        }
        String roleName = env.getOrDefault(SCAN_ROLE_NAME, "").strip();
        ScanSettings settings = ScanSettings.of(List.copyOf(regions))
                .withAccounts(
                        list(env, SCAN_ACCOUNTS),
                        organization.equals("true"),
                        roleName.isEmpty() ? ScanSettings.DEFAULT_ROLE_NAME : roleName);
        String layerName = env.get(LAYER_NAME);
        return layerName == null || layerName.isBlank() ? settings : settings.withWardenLayerName(layerName.strip());
    }

    /** The service's finding store on DynamoDB, where the scans keep their inventory and findings. */
    public static FindingStore findingStore(Map<String, String> env) {
        return new DynamoDbFindingStore(ServiceTables.client(env), ServiceTables.tablePrefix(env));
    }

    /**
     * The agents' observations in the service's DynamoDB tables: the scan compares each execution role with what its
     * function was observed doing ({@code iam-unused-permissions}).
     */
    public static ObservationSource observations(Map<String, String> env) {
        return IamSuggestions.source(
                new DynamoDbStore(ServiceTables.client(env), ServiceTables.tablePrefix(env)).observations());
    }

    /** The scanner a scan function uses, made once per execution environment. */
    static AwsScanner scanner(Map<String, String> env) {
        try {
            return new AwsScanner(
                            settings(env),
                            DefaultCredentialsProvider.builder().build(),
                            findingStore(env),
                            null,
                            new CloudWatchFindingOutput(System.out::println, Clock.systemUTC()))
                    .withObservations(observations(env));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the AWS scan", e);
        }
    }

    private static List<String> list(Map<String, String> env, String name) {
        return Arrays.stream(env.getOrDefault(name, "").split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .distinct()
                .toList();
    }
}
