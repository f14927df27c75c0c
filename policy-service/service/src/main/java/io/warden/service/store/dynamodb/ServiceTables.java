package io.warden.service.store.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The service's DynamoDB tables as a Lambda function's environment names them, for the API function and the scan
 * functions alike: {@value #TABLE_PREFIX} (default {@value #DEFAULT_TABLE_PREFIX}) and, for a local DynamoDB,
 * {@value #DYNAMODB_ENDPOINT}. Credentials are the function's role, read from the variables Lambda sets. The
 * command line reaches the same tables with {@link #client(String, AwsCredentialsProvider, URI)}.
 */
public final class ServiceTables {

    public static final String TABLE_PREFIX = "WARDEN_TABLE_PREFIX";
    public static final String DEFAULT_TABLE_PREFIX = "warden-";
    public static final String DYNAMODB_ENDPOINT = "WARDEN_DYNAMODB_ENDPOINT";

    /** How long {@link #create} waits for a new table to become ACTIVE (DynamoDB takes seconds; a local one less). */
    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofMinutes(2);

    private ServiceTables() {}

    /**
     * Creates a table and waits, with the SDK's waiter, until it is ACTIVE: until then DynamoDB (and dynalite) answers
     * ResourceNotFoundException to reads and writes of it. For local use and tests; the template creates the
     * deployed tables.
     */
    public static void create(DynamoDbClient dynamo, CreateTableRequest table) {
        dynamo.createTable(table);
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder()
                .client(dynamo)
                .overrideConfiguration(wait -> wait.waitTimeout(TABLE_ACTIVE_TIMEOUT)
                        .maxAttempts(Integer.MAX_VALUE)
                        .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(50))))
                .build()) {
            waiter.waitUntilTableExists(describe -> describe.tableName(table.tableName()));
        }
    }

    public static String tablePrefix(Map<String, String> env) {
        return env.getOrDefault(TABLE_PREFIX, DEFAULT_TABLE_PREFIX);
    }

    /** A client of the function's region with the function's credentials, the variables' endpoint if any. */
    public static DynamoDbClient client(Map<String, String> env) {
        String endpoint = env.get(DYNAMODB_ENDPOINT);
        return client(env.get("AWS_REGION"), credentials(env), endpoint == null ? null : URI.create(endpoint));
    }

    /**
     * The function role's credentials from the variables Lambda sets ({@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), or null when they are not set.
     */
    public static AwsCredentialsProvider credentials(Map<String, String> env) {
        String accessKey = env.get("AWS_ACCESS_KEY_ID");
        String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey == null || secretKey == null) {
            return null;
        }
        String session = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(
                session == null
                        ? AwsBasicCredentials.create(accessKey, secretKey)
                        : AwsSessionCredentials.create(accessKey, secretKey, session));
    }

    /**
     * A client of the service's tables on the URL connection HTTP client (the quickest to start), for the functions
     * and for {@code warden aws rematch --table-prefix}.
     *
     * @param region the tables' region, or null for the SDK's default region chain
     * @param credentials or null for the SDK's default credentials chain
     * @param endpoint another DynamoDB endpoint (a local DynamoDB), or null for AWS's
     */
    public static DynamoDbClient client(String region, AwsCredentialsProvider credentials, URI endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
