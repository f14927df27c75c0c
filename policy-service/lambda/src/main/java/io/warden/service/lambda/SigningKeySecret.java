package io.warden.service.lambda;

import io.warden.service.signing.SigningKey;
import io.warden.service.store.dynamodb.ServiceTables;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The API function's policy signing key, read once at init from the Secrets Manager secret whose ARN is in
 * {@value #SECRET}: the secret string is the base64 of the key's PKCS#8 encoding. The function's role may read that
 * secret and nothing else of Secrets Manager, and the key is never part of the function's configuration. Any failure
 * fails the init: without its key the service could only serve unsigned policies.
 */
public final class SigningKeySecret {

    /** The secret's ARN. */
    public static final String SECRET = "WARDEN_SIGNING_KEY_SECRET";
    /** Another Secrets Manager endpoint, e.g. a local one. */
    public static final String ENDPOINT = "WARDEN_SECRETS_MANAGER_ENDPOINT";

    /** Init has 10 s on Lambda: the read gets most of it, retries included. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(8);

    private SigningKeySecret() {}

    /** The key in the secret the environment names, with the function's credentials and region. */
    public static SigningKey read(Map<String, String> env) {
        String secret = env.get(SECRET);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                    SECRET + " is not set: it must hold the ARN of the Secrets Manager secret with the signing key");
        }
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(READ_TIMEOUT));
        if (env.get("AWS_REGION") != null) {
            builder.region(Region.of(env.get("AWS_REGION")));
        }
        if (ServiceTables.credentials(env) != null) {
            builder.credentialsProvider(ServiceTables.credentials(env));
        }
        if (env.get(ENDPOINT) != null) {
            builder.endpointOverride(URI.create(env.get(ENDPOINT)));
        }
        GetSecretValueResponse value;
        try (SecretsManagerClient secrets = builder.build()) {
            value = secrets.getSecretValue(get -> get.secretId(secret.trim()));
        } catch (SecretsManagerException e) {
            throw new IllegalStateException(
                    "cannot read the policy signing key from secret " + secret.trim() + ": "
                            + e.awsErrorDetails().errorCode() + " "
                            + e.awsErrorDetails().errorMessage(),
                    e);
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "cannot read the policy signing key from secret " + secret.trim() + ": " + e.getMessage(), e);
        }
        if (value.secretString() == null) {
            throw new IllegalStateException("secret " + value.arn()
                    + " holds no secret string: store the base64 of the key's PKCS#8 encoding as its string");
        }
        return SigningKey.fromPkcs8Base64(value.secretString().trim(), "secret " + value.arn());
    }
}
