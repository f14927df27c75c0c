package io.warden.aws.accounts;

import io.warden.aws.scan.ScanSettings;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds the SDK clients of a scan: one HTTP client shared by all, the standard retry strategy (throttled and failed
 * calls are retried with exponential backoff and jitter, {@link ScanSettings#maxAttempts()} attempts in all), and the
 * endpoint override when there is one. Closing it closes every client it built.
 */
public final class AwsClients implements AutoCloseable {
    /** A connection or a read that takes longer has failed; the retry strategy tries again. */
    static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final ScanSettings settings;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(java.time.Duration.ofSeconds(10))
            .socketTimeout(SOCKET_TIMEOUT)
            .build();
    private final List<SdkAutoCloseable> built = new ArrayList<>();

    public AwsClients(ScanSettings settings) {
        this.settings = settings;
    }

    public ScanSettings settings() {
        return settings;
    }

    public SdkHttpClient http() {
        return http;
    }

    public synchronized LambdaClient lambda(AwsCredentialsProvider credentials, String region) {
        var b = LambdaClient.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(Region.of(region))
                .overrideConfiguration(overrides());
        if (settings.endpointOverride() != null) {
            b.endpointOverride(settings.endpointOverride());
        }
        return keep(b.build());
    }

    public synchronized IamClient iam(AwsCredentialsProvider credentials) {
        var b = IamClient.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(Region.AWS_GLOBAL)
                .overrideConfiguration(overrides());
        if (settings.endpointOverride() != null) {
            b.endpointOverride(settings.endpointOverride());
        }
        return keep(b.build());
    }

    public synchronized StsClient sts(AwsCredentialsProvider credentials) {
        var b = StsClient.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(Region.of(settings.regions().get(0)))
                .overrideConfiguration(overrides());
        if (settings.endpointOverride() != null) {
            b.endpointOverride(settings.endpointOverride());
        }
        return keep(b.build());
    }

    /** The retry strategy every client uses (also for the calls made without a generated client). */
    public RetryStrategy retryStrategy() {
        BackoffStrategy backoff =
                BackoffStrategy.exponentialDelay(settings.retryBaseDelay(), ScanSettings.MAX_RETRY_DELAY);
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .build();
    }

    private <T extends SdkAutoCloseable> T keep(T client) {
        built.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        built.forEach(SdkAutoCloseable::close);
        built.clear();
        http.close();
    }
}
