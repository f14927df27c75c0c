package io.warden.service.auth;

import io.warden.service.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing in to the web view without pasting a token: {@code warden serve} prints a login URL carrying a one-time code
 * in its fragment (never sent to a server, never in a log or a Referer); the page exchanges it once for a viewer
 * session token. Codes and sessions live in this process only, as their SHA-256, and expire.
 */
public final class WebSessions {

    public static final Duration CODE_LIFETIME = Duration.ofMinutes(15);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 1_000;

    /** A session token and when it stops working. */
    public record Session(String token, Instant expiresAt) {}

    private final Clock clock;
    private final Map<String, Instant> codes = new ConcurrentHashMap<>();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    public WebSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new one-time login code, valid for {@link #CODE_LIFETIME}. */
    public String newCode() {
        String code = Tokens.newToken();
        codes.put(Tokens.sha256Hex(code), clock.instant().plus(CODE_LIFETIME));
        return code;
    }

    /** Spends the code on a viewer session; 401 when it is unknown, used or expired. */
    public Session exchange(String code) {
        Instant codeExpiry = codes.remove(Tokens.sha256Hex(code));
        Instant now = clock.instant();
        if (codeExpiry == null || !now.isBefore(codeExpiry)) {
            throw ApiException.unauthorized("the login code is unknown, used or expired; sign in with a token, or"
                    + " restart warden serve for a new login URL");
        }
        removeExpired(now);
        if (sessions.size() >= MAX_SESSIONS) {
            throw ApiException.forbidden("too many web sessions (" + MAX_SESSIONS + "); sign in with a token");
        }
        String token = Tokens.newToken();
        Instant expiresAt = now.plus(SESSION_LIFETIME);
        sessions.put(Tokens.sha256Hex(token), expiresAt);
        return new Session(token, expiresAt);
    }

    /** Authenticates session tokens, and every other token with {@code tokens}. */
    public Authenticator before(Authenticator tokens) {
        return request -> {
            String hash = Tokens.sha256Hex(TokenAuthenticator.bearerToken(request));
            return sessions.containsKey(hash) ? session(hash) : tokens.authenticate(request);
        };
    }

    private Caller session(String hash) {
        Instant expiresAt = sessions.get(hash);
        if (expiresAt == null) {
            throw ApiException.unauthorized("the web session has ended; sign in again");
        }
        if (!clock.instant().isBefore(expiresAt)) {
            sessions.remove(hash);
            throw ApiException.unauthorized("the web session has expired; sign in again");
        }
        return new Caller(Role.VIEWER, null, "web session " + hash.substring(0, 12));
    }

    private void removeExpired(Instant now) {
        for (Iterator<Instant> it = sessions.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
    }
}
