package io.warden.service.auth;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;
import io.warden.service.store.Store;
import io.warden.service.store.TokenRecord;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Authorization: Bearer <token>}, looked up by its SHA-256 in the store. Tokens are never changed or revoked
 * in place, so a token once found is remembered.
 */
public final class TokenAuthenticator implements Authenticator {

    static final int MAX_REMEMBERED = 10_000;
    private static final String BEARER = "Bearer ";

    private final Store store;
    private final Map<String, Caller> known = new ConcurrentHashMap<>();

    public TokenAuthenticator(Store store) {
        this.store = store;
    }

    @Override
    public Caller authenticate(ApiRequest request) {
        String token = bearerToken(request);
        String hash = Tokens.sha256Hex(token);
        Caller caller = known.get(hash);
        if (caller != null) {
            return caller;
        }
        Optional<TokenRecord> record = store.token(hash);
        if (record.isEmpty()) {
            throw ApiException.unauthorized("unknown token " + abbreviate(token));
        }
        caller = new Caller(
                Role.fromJsonName(record.get().role()), record.get().function(), "token " + hash.substring(0, 12));
        if (known.size() < MAX_REMEMBERED) {
            known.put(hash, caller);
        }
        return caller;
    }

    /** The token of {@code Authorization: Bearer <token>}; 401 naming what is wrong with the header. */
    static String bearerToken(ApiRequest request) {
        String header = request.header("authorization");
        if (header == null) {
            throw ApiException.unauthorized("missing Authorization header; expected \"Bearer <token>\"");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            int space = header.indexOf(' ');
            String scheme = space < 0 ? header : header.substring(0, space);
            throw ApiException.unauthorized("Authorization scheme " + abbreviate(scheme) + " is not Bearer");
        }
        return header.substring(BEARER.length()).trim();
    }

    /** Enough of a credential to recognise it in a message, not enough to use it. */
    private static String abbreviate(String secret) {
        return secret.length() <= 8
                ? "\"" + secret.replaceAll("\\p{Cntrl}", "?") + "\""
                : "\"" + secret.substring(0, 8).replaceAll("\\p{Cntrl}", "?") + "…\"";
    }
}
