package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.aws.fake.FakeAws;
import io.warden.service.signing.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API function reads its signing key once, at init, from the secret its environment names, with the real Secrets
 * Manager client against the fake AWS (JSON 1.1 on loopback); a missing, unreadable or malformed secret stops the
 * function from starting with an error that names the secret and never its value.
 */
class SigningKeySecretTest {

    static final String REGION = "eu-west-1";

    FakeAws aws;

    @BeforeEach
    void start() throws IOException {
        aws = FakeAws.start("123456789012");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void theKeyIsTheSecretsAndIsReadOnce() {
        KeyPair keys = SigningKey.generate();
        Map<String, String> env = inRegion(SigningKeySecrets.environment(aws, REGION, keys));

        SigningKey key = SigningKeySecret.read(env);

        byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(SigningKey.verify(
                        Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()), body, key.sign(body)))
                .isTrue();
        assertThat(aws.calls("GetSecretValue")).isEqualTo(1);
    }

    @Test
    void withoutTheVariableTheFunctionDoesNotStart() {
        assertThatThrownBy(() -> SigningKeySecret.read(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SigningKeySecret.SECRET + " is not set");
        assertThatThrownBy(() -> ApiGatewayHandler.fromEnvironment(Map.of()))
                .hasMessageContaining(SigningKeySecret.SECRET + " is not set");
    }

    @Test
    void anUnknownSecretIsNamedWithSecretsManagersError() {
        String missing = "arn:aws:secretsmanager:" + REGION + ":123456789012:secret:warden/other-AbCdEf";
        assertThatThrownBy(() -> SigningKeySecret.read(inRegion(SigningKeySecrets.environment(aws, missing))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the policy signing key from secret " + missing)
                .hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void aDeniedReadIsNamedWithSecretsManagersError() {
        Map<String, String> env = inRegion(SigningKeySecrets.environment(aws, REGION, SigningKey.generate()));
        aws.fail("GetSecretValue", 1, 400, "AccessDeniedException");

        assertThatThrownBy(() -> SigningKeySecret.read(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(env.get(SigningKeySecret.SECRET))
                .hasMessageContaining("AccessDeniedException");
    }

    @Test
    void aSecretThatIsNoKeyIsRefusedWithoutShowingItsValue() {
        String value = "{\"signingKey\":\"not-a-key-s3cr3t-value\"}";
        String arn = aws.home().secret(REGION, "warden/wrong-form", value);
        Map<String, String> env = inRegion(SigningKeySecrets.environment(aws, arn));

        assertThatThrownBy(() -> SigningKeySecret.read(env))
                .hasMessageContaining("secret " + arn + ": not a base64 PKCS#8 Ed25519 private key")
                .hasMessageNotContaining("s3cr3t");
    }

    /** The variables with the region Lambda sets, the secrets'. */
    static Map<String, String> inRegion(Map<String, String> env) {
        Map<String, String> withRegion = new HashMap<>(env);
        withRegion.put("AWS_REGION", REGION);
        return withRegion;
    }
}
