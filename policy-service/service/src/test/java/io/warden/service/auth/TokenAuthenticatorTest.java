package io.warden.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthenticatorTest {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dataDirectory;

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static ApiRequest bearer(String token) {
        return new ApiRequest(
                "GET",
                "/v1/functions",
                null,
                Map.of("authorization", "Bearer " + token),
                new ByteArrayInputStream(new byte[0]),
                0,
                null);
    }

    @Test
    void aRevokedTokenIsRefusedOnceTheRememberedTimeHasPassed() {
        MovingClock clock = new MovingClock();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            String token = Tokens.newToken();
            store.putToken(new TokenRecord(Tokens.sha256Hex(token), "viewer", null, T0));
            TokenAuthenticator authenticator = new TokenAuthenticator(store, clock);
            assertThat(authenticator.authenticate(bearer(token)).role()).isEqualTo(Role.VIEWER);

            store.deleteToken(Tokens.sha256Hex(token));
            clock.now = T0.plus(TokenAuthenticator.REMEMBERED_FOR).minusMillis(1);
            assertThat(authenticator.authenticate(bearer(token)).role())
                    .as("still remembered, within the bound")
                    .isEqualTo(Role.VIEWER);
            clock.now = T0.plus(TokenAuthenticator.REMEMBERED_FOR);
            assertThatThrownBy(() -> authenticator.authenticate(bearer(token)))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("unknown token");
        }
    }

    @Test
    void anExpiredTokenIsRefusedAtItsExpiryEvenWhileRemembered() {
        MovingClock clock = new MovingClock();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            String token = Tokens.newToken();
            store.putToken(
                    new TokenRecord(Tokens.sha256Hex(token), "admin", null, T0, T0.plusMillis(1_000), "short-lived"));
            TokenAuthenticator authenticator = new TokenAuthenticator(store, clock);
            assertThat(authenticator.authenticate(bearer(token)).isAdmin()).isTrue();
            clock.now = T0.plusMillis(1_000);
            assertThatThrownBy(() -> authenticator.authenticate(bearer(token)))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("expired at 2030-01-01T00:00:01Z");
        }
    }
}
