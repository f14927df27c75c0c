package io.warden.policy;

import java.nio.charset.StandardCharsets;

/**
 * What the policy service signs when it serves a function's policy, shared by the service (which signs) and the agent
 * (which verifies): the function the policy is for, its revision (a number that grows with every change of the
 * function's policy), when the signature expires, and the exact policy bytes. The agent builds the message with its own
 * function's name, so a policy signed for another function does not verify. The values travel in the response's
 * headers; the signature is Ed25519, base64 in {@value #SIGNATURE_HEADER}.
 */
public final class PolicySignature {

    public static final String ALGORITHM = "Ed25519";
    public static final String SIGNATURE_HEADER = "X-Warden-Signature";
    public static final String KEY_ID_HEADER = "X-Warden-Key-Id";
    public static final String FUNCTION_HEADER = "X-Warden-Policy-Function";
    public static final String REVISION_HEADER = "X-Warden-Policy-Revision";
    /** Epoch seconds after which the signature is no longer accepted. */
    public static final String EXPIRES_HEADER = "X-Warden-Policy-Expires";

    /** Names the format, so that no other signature by the same key (such as one over the body alone) verifies. */
    private static final String CONTEXT = "warden-policy-signature-v2\n";

    private PolicySignature() {}

    /**
     * {@code warden-policy-signature-v2\n<function>\n<revision>\n<expires epoch seconds>\n} then the policy bytes. A
     * function name holds no line break (the service allows letters, digits, {@code -} and {@code _}).
     */
    public static byte[] message(String function, long revision, long expiresEpochSeconds, byte[] policy) {
        byte[] head = (CONTEXT + function + "\n" + revision + "\n" + expiresEpochSeconds + "\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + policy.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(policy, 0, message, head.length, policy.length);
        return message;
    }
}
