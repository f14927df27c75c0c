package io.warden.agent.core.service;

import io.warden.policy.Policy;
import io.warden.policy.PolicyException;
import io.warden.policy.PolicySignature;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * Fetches the function's policy from the service at start-up: {@code GET /v1/policies/{function}}, signed by the
 * service over this function's name, the policy's revision, an expiry and the exact body ({@link PolicySignature}).
 * The policy is used only when the signature verifies with one of the keys of {@code WARDEN_POLICY_PUBLIC_KEY} for
 * this function's name, has not expired, and the revision is not below the highest this execution environment has
 * enforced ({@link PolicyRevisions}). Anything short of that (service down, slow, unsigned, tampered, another
 * function's, expired, rolled back, invalid) leaves the deployed policy in force.
 */
public final class PolicyFetcher {

    /** Connect and read, each: the function's cold start waits for this. */
    static final int TIMEOUT_MILLIS = 500;

    static final int MAX_POLICY_BYTES = 1024 * 1024;

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
        return fetch(service, functionName, new File(PolicyRevisions.DIRECTORY), System.currentTimeMillis() / 1000);
    }

    static Result fetch(ServiceConfig service, String functionName, File revisionDirectory, long nowEpochSeconds) {
        String path = "v1/policies/" + encode(functionName);
        String source = service.resolve(path).toString();
        if (service.publicKey == null || service.publicKey.isBlank()) {
            return new Result(
                    null,
                    source,
                    ServiceConfig.PUBLIC_KEY_VARIABLE + " is not set, so a policy from the service "
                            + "could not be verified");
        }
        try {
            ServiceHttp.Response response = new ServiceHttp(service, ServiceHttp.UNCHECKED)
                    .exchange("GET", path, null, null, TIMEOUT_MILLIS, MAX_POLICY_BYTES);
            if (response.status != 200) {
                return new Result(null, source, "the service answered HTTP " + response.status);
            }
            String signature = header(response, PolicySignature.SIGNATURE_HEADER);
            long revision = number(response, PolicySignature.REVISION_HEADER);
            long expires = number(response, PolicySignature.EXPIRES_HEADER);
            if (signature == null || revision < 0 || expires < 0) {
                return new Result(
                        null,
                        source,
                        "the answer lacks a signature, revision or expiry (" + PolicySignature.SIGNATURE_HEADER + ", "
                                + PolicySignature.REVISION_HEADER + ", " + PolicySignature.EXPIRES_HEADER
                                + "): a service older than this agent, or not a Warden service");
            }
            byte[] message = PolicySignature.message(functionName, revision, expires, response.body);
            if (!verifiesWithAny(service.publicKey, message, signature)) {
                String signedFor = header(response, PolicySignature.FUNCTION_HEADER);
                return new Result(
                        null,
                        source,
                        signedFor != null && !signedFor.equals(functionName)
                                ? "the policy is signed for function \"" + signedFor + "\", not for this function"
                                : "the policy's signature does not verify with " + ServiceConfig.PUBLIC_KEY_VARIABLE
                                        + " for this function (tampered, or signed with another key)");
            }
            if (nowEpochSeconds >= expires) {
                return new Result(
                        null,
                        source,
                        "the policy's signature expired at " + Instant.ofEpochSecond(expires)
                                + " (a replayed answer, or this clock and the service's far apart)");
            }
            PolicyRevisions revisions = new PolicyRevisions(revisionDirectory, encode(functionName));
            long highest = revisions.highest();
            if (revision < highest) {
                return new Result(
                        null,
                        source,
                        "the policy's revision " + revision + " is older than revision " + highest
                                + " already enforced in this execution environment (" + revisions + ")");
            }
            Policy policy = Policy.parse(response.body, source);
            if (revision > highest && !revisions.record(revision)) {
                return new Result(
                        null, source, "cannot record the policy's revision in " + revisions + ", so it is not used");
            }
            return new Result(policy, source, null);
        } catch (PolicyException invalid) {
            return new Result(null, source, invalid.getMessage());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException unreachable) {
            return new Result(null, source, String.valueOf(unreachable));
        }
    }

    /**
     * Whether the signature verifies with one of the keys: {@code WARDEN_POLICY_PUBLIC_KEY} holds one or more (base64
     * X.509), separated by commas, so that a new signing key can be trusted before the service signs with it.
     */
    static boolean verifiesWithAny(String publicKeys, byte[] message, String signatureBase64)
            throws GeneralSecurityException {
        byte[] signature = Base64.getDecoder().decode(signatureBase64.trim());
        KeyFactory keys = KeyFactory.getInstance(PolicySignature.ALGORITHM);
        for (String encoded : publicKeys.split(",")) {
            if (encoded.isBlank()) {
                continue;
            }
            PublicKey key = keys.generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(encoded.trim())));
            Signature verifier = Signature.getInstance(PolicySignature.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            if (verifier.verify(signature)) {
                return true;
            }
        }
        return false;
    }

    private static String header(ServiceHttp.Response response, String name) {
        return response.headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The header's non-negative decimal value, or -1 when it is missing or not one. */
    private static long number(ServiceHttp.Response response, String name) {
        String value = header(response, name);
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    private static String encode(String functionName) {
        return URLEncoder.encode(functionName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
