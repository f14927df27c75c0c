package io.warden.aws.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The active accounts of an AWS Organization ({@code organizations:ListAccounts}, JSON 1.1 protocol). The project
 * builds on the SDK's signer and HTTP client for this single call rather than on the SDK's Organizations module,
 * which is not in its dependency set; throttled and failed calls are retried like the SDK clients' calls.
 */
public final class OrganizationAccounts {
    static final URI DEFAULT_ENDPOINT = URI.create("https://organizations.us-east-1.amazonaws.com/");
    static final String SIGNING_REGION = "us-east-1";
    static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
    /** An organization has at most a few thousand accounts; more pages than this is a broken paginator. */
    static final int MAX_PAGES = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final int maxAttempts;
    private final Duration baseDelay;

    public OrganizationAccounts(
            SdkHttpClient http,
            AwsCredentialsProvider credentials,
            URI endpointOverride,
            int maxAttempts,
            Duration baseDelay) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpointOverride != null ? endpointOverride : DEFAULT_ENDPOINT;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
    }

    /** The ids of the organization's accounts whose status is ACTIVE. */
    public List<String> activeAccounts() {
        List<String> ids = new ArrayList<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode body = JSON.createObjectNode();
            if (token != null) {
                body.put("NextToken", token);
            }
            JsonNode response = call(body.toString());
            for (JsonNode account : response.path("Accounts")) {
                if ("ACTIVE".equals(account.path("Status").asText())) {
                    ids.add(account.path("Id").asText());
                }
            }
            token = response.path("NextToken").asText(null);
            if (token == null) {
                return ids;
            }
        }
        throw SdkClientException.create("organizations:ListAccounts returned more than " + MAX_PAGES + " pages");
    }

    private JsonNode call(String body) {
        for (int attempt = 1; ; attempt++) {
            Answer answer = send(body);
            if (answer.status == 200) {
                return answer.json;
            }
            String type = answer.json.path("__type").asText("");
            String code = type.substring(type.lastIndexOf('#') + 1);
            boolean retryable = answer.status >= 500
                    || answer.status == 429
                    || code.equals("TooManyRequestsException")
                    || code.equals("ThrottlingException");
            if (!retryable || attempt >= maxAttempts) {
                throw SdkClientException.create(
                        "organizations:ListAccounts failed with HTTP " + answer.status + " " + code + ": "
                                + answer.json
                                        .path("Message")
                                        .asText(answer.json.path("message").asText("")));
            }
            sleep(attempt);
        }
    }

    private record Answer(int status, JsonNode json) {}

    private Answer send(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SIGNING_REGION));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                            .request(signed.request())
                            .contentStreamProvider(signed.payload().orElse(null))
                            .build())
                    .call();
            JsonNode json;
            try (InputStream in = response.responseBody().orElse(null)) {
                json = in == null ? JSON.createObjectNode() : JSON.readTree(in);
            }
            return new Answer(response.httpResponse().statusCode(), json == null ? JSON.createObjectNode() : json);
        } catch (IOException e) {
            return new Answer(599, JSON.createObjectNode().put("Message", e.toString()));
        }
    }

    private void sleep(int attempt) {
        long ceiling = Math.min(baseDelay.toMillis() << Math.min(attempt - 1, 16), 20_000);
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }
}
