package io.warden.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class WebSessionsTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    final MovableClock clock = new MovableClock();
    final WebSessions sessions = new WebSessions(clock);
    final Authenticator tokens = request -> new Caller(Role.ADMIN, null, "a token");

    static ApiRequest bearer(String token) {
        return new ApiRequest(
                "GET",
                "/v1/functions",
                null,
                Map.of("authorization", "Bearer " + token),
                new ByteArrayInputStream(new byte[0]),
                -1,
                null);
    }

    static int status(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            return e.status();
        }
        throw new AssertionError("no ApiException");
    }

    @Test
    void aSessionIsAViewerUntilItExpires() {
        WebSessions.Session session = sessions.exchange(sessions.newCode());
        assertThat(session.expiresAt()).isEqualTo(clock.now.plus(WebSessions.SESSION_LIFETIME));
        Caller caller = sessions.before(tokens).authenticate(bearer(session.token()));
        assertThat(caller.role()).isEqualTo(Role.VIEWER);
        assertThat(caller.description()).startsWith("web session ").doesNotContain(session.token());

        clock.now = session.expiresAt();
        assertThatThrownBy(() -> sessions.before(tokens).authenticate(bearer(session.token())))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("the web session has expired");
        assertThat(sessions.before(tokens).authenticate(bearer(session.token())).role())
                .as("an ended session is no longer known; other tokens go to the token authenticator")
                .isEqualTo(Role.ADMIN);
    }

    @Test
    void aCodeWorksOnceAndOnlyWithinItsLifetime() {
        String code = sessions.newCode();
        sessions.exchange(code);
        assertThat(status(() -> sessions.exchange(code))).isEqualTo(401);
        String late = sessions.newCode();
        clock.now = clock.now.plus(WebSessions.CODE_LIFETIME);
        assertThat(status(() -> sessions.exchange(late))).isEqualTo(401);
        assertThat(status(() -> sessions.exchange(late)))
                .as("an expired code is spent too")
                .isEqualTo(401);
    }

    @Test
    void sessionsAreBounded() {
        for (int i = 0; i < WebSessions.MAX_SESSIONS; i++) {
            sessions.exchange(sessions.newCode());
        }
        assertThat(status(() -> sessions.exchange(sessions.newCode()))).isEqualTo(403);
        clock.now = clock.now.plus(WebSessions.SESSION_LIFETIME).plus(Duration.ofSeconds(1));
        assertThat(sessions.exchange(sessions.newCode()).token())
                .as("expired sessions make room")
                .isNotBlank();
    }
}
