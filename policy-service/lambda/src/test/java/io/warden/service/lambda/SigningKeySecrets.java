package io.warden.service.lambda;

import io.warden.aws.fake.FakeAws;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The API function's signing key as the template deploys it: a Secrets Manager secret (in the fake AWS, over its JSON
 * 1.1 protocol) holding the base64 of the key's PKCS#8 encoding, and the variables that point the function at it
 * with credentials the fake knows. The function's {@code AWS_REGION} (which Lambda sets) must be the secret's region.
 */
public final class SigningKeySecrets {

    private SigningKeySecrets() {}

    /** Stores the key pair's private key as a new secret in the fake's home account; the variables to read it. */
    public static Map<String, String> environment(FakeAws aws, String region, KeyPair keys) {
        String arn = aws.home()
                .secret(
                        region,
                        "warden/signing-key",
                        Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
        return environment(aws, arn);
    }

    /** The variables that make the API function read the secret with this ARN from the fake. */
    public static Map<String, String> environment(FakeAws aws, String secretArn) {
        AwsCredentials credentials = aws.credentials().resolveCredentials();
        return Map.of(
                SigningKeySecret.SECRET,
                secretArn,
                SigningKeySecret.ENDPOINT,
                aws.endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                credentials.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY",
                credentials.secretAccessKey());
    }
}
