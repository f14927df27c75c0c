package io.warden.service.lambda;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The service's DynamoDB tables as a Lambda function's environment names them, for the API function and the scan
 * functions alike: {@value #TABLE_PREFIX} (default {@value #DEFAULT_TABLE_PREFIX}) and, for a local DynamoDB,
 * {@value #DYNAMODB_ENDPOINT}. Credentials are the function's role, read from the variables Lambda sets.
 */
public final class ServiceTables {

    public static final String TABLE_PREFIX = "WARDEN_TABLE_PREFIX";
    public static final String DEFAULT_TABLE_PREFIX = "warden-";
    public static final String DYNAMODB_ENDPOINT = "WARDEN_DYNAMODB_ENDPOINT";

    private ServiceTables() {}

    public static String tablePrefix(Map<String, String> env) {
        return env.getOrDefault(TABLE_PREFIX, DEFAULT_TABLE_PREFIX);
    }

    /** A client of the function's region, on the URL connection HTTP client (the quickest to start). */
    public static DynamoDbClient client(Map<String, String> env) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (env.get("AWS_REGION") != null) {
            builder.region(Region.of(env.get("AWS_REGION")));
        }
        String accessKey = env.get("AWS_ACCESS_KEY_ID");
        String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && secretKey != null) {
            String session = env.get("AWS_SESSION_TOKEN");
            builder.credentialsProvider(StaticCredentialsProvider.create(session == null
                    ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, session)));
        }
        if (env.get(DYNAMODB_ENDPOINT) != null) {
            builder.endpointOverride(URI.create(env.get(DYNAMODB_ENDPOINT)));
        }
        return builder.build();
    }
}
