package io.warden.service.auth;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;
import io.warden.service.store.Store;
import io.warden.service.store.TokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Authorization: Bearer <token>}, looked up by its SHA-256 in the store. A token found is remembered for at most
 * {@link #REMEMBERED_FOR}: a token revoked ({@code DELETE /v1/tokens/{id}}, by this process or another on the same
 * store, such as another Lambda execution environment) stops working within that time. An expired token stops working
 * at its expiry.
 */
public final class TokenAuthenticator implements Authenticator {

    static final int MAX_REMEMBERED = 10_000;
    /** How long a token found in the store is trusted without asking the store again. */
    public static final Duration REMEMBERED_FOR = Duration.ofSeconds(5);

    private static final String BEARER = "Bearer ";

    private final Store store;
    private final Clock clock;
    private final Map<String, Remembered> known = new ConcurrentHashMap<>();

    private record Remembered(TokenRecord record, Instant until) {}

    public TokenAuthenticator(Store store) {
        this(store, Clock.systemUTC());
    }

    public TokenAuthenticator(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(ApiRequest request) {
        String token = bearerToken(request);
        String hash = Tokens.sha256Hex(token);
        Instant now = clock.instant();
        Remembered remembered = known.get(hash);
        if (remembered == null || !now.isBefore(remembered.until())) {
            Optional<TokenRecord> record = store.token(hash);
            if (record.isEmpty()) {
                known.remove(hash);
                throw ApiException.unauthorized("unknown token " + abbreviate(token));
            }
            remembered = new Remembered(record.get(), now.plus(REMEMBERED_FOR));
            if (known.size() < MAX_REMEMBERED) {
                known.put(hash, remembered);
            } else {
                known.remove(hash);
            }
        }
        TokenRecord record = remembered.record();
        if (record.expired(now)) {
            throw ApiException.unauthorized("token " + record.id() + " expired at " + record.expiresAt());
        }
        return new Caller(Role.fromJsonName(record.role()), record.function(), "token " + record.id());
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
