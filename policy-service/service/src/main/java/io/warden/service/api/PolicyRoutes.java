package io.warden.service.api;

import io.warden.policy.Policy;
import io.warden.policy.PolicyException;
import io.warden.policy.PolicySignature;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Tokens;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Store;
import io.warden.service.store.StoredPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET} and {@code PUT /v1/policies/{function}}: the policy a function's agent enforces. A policy is validated by
 * the agent's own parser ({@link Policy#parse}) and stored in its canonical form; it is served with an ETag and an
 * Ed25519 signature over the function's name, the policy's revision, an expiry {@link #SIGNATURE_LIFETIME} ahead and
 * the exact body bytes ({@link PolicySignature}), signed anew for each answer.
 */
final class PolicyRoutes {

    /** A policy must fit one DynamoDB item (400 KB) with room to spare. */
    static final int MAX_POLICY_BYTES = 256 * 1024;

    /**
     * How long a served policy's signature is accepted. The agent fetches at start-up, right after the answer is
     * signed; the lifetime bounds how long a captured answer can be replayed to an execution environment that has
     * not seen a later revision, and leaves room for clocks that differ by minutes.
     */
    static final Duration SIGNATURE_LIFETIME = Duration.ofMinutes(15);

    private final Store store;
    private final SigningKey signingKey;
    private final Clock clock;

    PolicyRoutes(Store store, SigningKey signingKey, Clock clock) {
        this.store = store;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/v1/policies/{function}", Route.Access.AUTHENTICATED, this::get),
                Route.of("PUT", "/v1/policies/{function}", Route.Access.ADMIN, MAX_POLICY_BYTES, this::put),
                Route.of("GET", "/v1/signing-key", Route.Access.AUTHENTICATED, this::signingKey));
    }

    private ApiResponse get(ApiRequest request, Caller caller, List<String> pathParameters) {
        String function = FunctionNames.require(pathParameters.get(0), "path");
        if (!caller.mayReadPolicyOf(function)) {
            throw ApiException.forbidden(
                    caller.description() + " may not read the policy of function \"" + function + "\"");
        }
        StoredPolicy policy = store.policy(function)
                .orElseThrow(() -> ApiException.notFound("no policy is stored for function \"" + function + "\""));
        byte[] body = policy.json().getBytes(StandardCharsets.UTF_8);
        String etag = etag(body);
        if (matches(request.header("if-none-match"), etag)) {
            return new ApiResponse(304, Map.of("ETag", etag), new byte[0]);
        }
        return signed(policy, body, etag);
    }

    private ApiResponse put(ApiRequest request, Caller caller, List<String> pathParameters) {
        String function = FunctionNames.require(pathParameters.get(0), "path");
        RequestBodies.requireContentType(request, ApiResponse.JSON);
        String source = "PUT /v1/policies/" + function;
        Policy policy;
        try {
            policy = Policy.parse(RequestBodies.bytes(request, MAX_POLICY_BYTES), source);
        } catch (PolicyException e) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", "invalid_policy");
            error.put("message", e.getMessage());
            error.put("pointer", e.pointer());
            return ApiResponse.json(400, error);
        }
        StoredPolicy stored = store.putPolicy(function, policy.toJson(), clock.instant());
        byte[] body = stored.json().getBytes(StandardCharsets.UTF_8);
        return signed(stored, body, etag(body));
    }

    private ApiResponse signingKey(ApiRequest request, Caller caller, List<String> pathParameters) {
        return ApiResponse.json(
                200,
                Map.of(
                        "algorithm",
                        SigningKey.ALGORITHM,
                        "keyId",
                        signingKey.keyId(),
                        "publicKey",
                        signingKey.publicKeyBase64()));
    }

    private ApiResponse signed(StoredPolicy policy, byte[] body, String etag) {
        long expires = clock.instant().plus(SIGNATURE_LIFETIME).getEpochSecond();
        byte[] message = PolicySignature.message(policy.function(), policy.revision(), expires, body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", ApiResponse.JSON);
        headers.put("ETag", etag);
        headers.put(PolicySignature.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signingKey.sign(message)));
        headers.put(PolicySignature.KEY_ID_HEADER, signingKey.keyId());
        headers.put(PolicySignature.FUNCTION_HEADER, policy.function());
        headers.put(PolicySignature.REVISION_HEADER, Long.toString(policy.revision()));
        headers.put(PolicySignature.EXPIRES_HEADER, Long.toString(expires));
        return new ApiResponse(200, headers, body);
    }

    static String etag(byte[] body) {
        return "\"" + HexFormat.of().formatHex(Tokens.sha256(body)) + "\"";
    }

    /** If-None-Match: {@code *} or a list of entity tags, weak ones compared by their value. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
