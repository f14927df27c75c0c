package io.warden.agent.core.service;

import io.warden.policy.Policy;
import io.warden.policy.PolicyException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Fetches the function's policy from the service at start-up: {@code GET /v1/policies/{function}}, signed by the
 * service (Ed25519 over the exact body, in {@code X-Warden-Signature}). Anything short of a valid, signed policy
 * (service down, slow, unsigned, tampered, invalid) leaves the deployed policy in force.
 */
public final class PolicyFetcher {

    /** Connect and read, each: the function's cold start waits for this. */
    static final int TIMEOUT_MILLIS = 500;

    static final int MAX_POLICY_BYTES = 1024 * 1024;
    static final String SIGNATURE_HEADER = "X-Warden-Signature";

    private PolicyFetcher() {}

    /** The fetched policy, or why there is none. */
    public static final class Result {
        public final Policy policy;
        public final String source;
        public final String failure;

        private Result(Policy policy, String source, String failure) {
            this.policy = policy;
            this.source = source;
            this.failure = failure;
        }
    }

    public static Result fetch(ServiceConfig service, String functionName) {
        String source = service.resolve("v1/policies/" + encode(functionName)).toString();
        if (service.publicKey == null || service.publicKey.isBlank()) {
            return new Result(
                    null,
                    source,
                    ServiceConfig.PUBLIC_KEY_VARIABLE + " is not set, so a policy from the service "
                            + "could not be verified");
        }
        try {
            ServiceHttp.Response response = new ServiceHttp(service, ServiceHttp.UNCHECKED)
                    .exchange(
                            "GET", "v1/policies/" + encode(functionName), null, null, TIMEOUT_MILLIS, MAX_POLICY_BYTES);
            if (response.status != 200) {
                return new Result(null, source, "the service answered HTTP " + response.status);
            }
            String signature = response.headers.get(SIGNATURE_HEADER.toLowerCase(java.util.Locale.ROOT));
            if (signature == null || !verifies(service.publicKey, response.body, signature)) {
                return new Result(
                        null,
                        source,
                        "the policy's signature does not verify with " + ServiceConfig.PUBLIC_KEY_VARIABLE
                                + " (missing or tampered)");
            }
            return new Result(Policy.parse(response.body, source), source, null);
        } catch (PolicyException invalid) {
            return new Result(null, source, invalid.getMessage());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException unreachable) {
            return new Result(null, source, String.valueOf(unreachable));
        }
    }

    static boolean verifies(String publicKeyBase64, byte[] body, String signatureBase64)
            throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64.trim())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(body);
        return verifier.verify(Base64.getDecoder().decode(signatureBase64.trim()));
    }

    private static String encode(String functionName) {
        return URLEncoder.encode(functionName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
