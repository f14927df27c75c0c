package io.warden.service.api;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.service.LocalService;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tokens over the API: minted with an expiry and a label, listed without their secret, revoked. */
class TokenApiTest extends ServiceOnLoopback {

    @Test
    void tokensAreListedByIdAndRoleNeverWithTheirSecret() {
        HttpResponse<String> minted = client.postJson(
                "/v1/tokens",
                admin,
                "{\"role\":\"viewer\",\"label\":\"dashboard\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}");
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
        JsonNode token = json(minted.body());
        String secret = token.get("token").asText();
        assertThat(token.get("id").asText()).matches("[0-9a-f]{16}");
        assertThat(token.get("expiresAt").asText()).isEqualTo("2999-01-01T00:00:00Z");

        HttpResponse<String> listing = client.get("/v1/tokens", admin);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).doesNotContain(secret, admin, reporter);
        assertThat(json(listing.body()).get("tokens"))
                .extracting(t -> t.get("role").asText() + " "
                        + t.get("function").asText() + " " + t.get("label").asText())
                .containsExactlyInAnyOrder(
                        "admin null admin-token file", "reporter orders null", "viewer null dashboard");
        assertThat(client.get("/v1/tokens", reporter).statusCode()).isEqualTo(403);
        assertThat(client.get("/v1/tokens", secret).statusCode()).as("a viewer").isEqualTo(403);
    }

    @Test
    void aRevokedTokenStopsWorkingWithinSeconds() throws Exception {
        String id = idOf(reporter);
        HttpResponse<String> revoked = client.send(
                ServiceClient.authorized(client.request("/v1/tokens/" + id).DELETE(), admin));
        assertThat(revoked.statusCode()).isEqualTo(204);

        assertThat(untilUnauthorized(reporter)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(json(client.get("/v1/tokens", admin).body()).get("tokens"))
                .extracting(t -> t.get("id").asText())
                .doesNotContain(id);
        assertThat(client.send(ServiceClient.authorized(
                                client.request("/v1/tokens/" + id).DELETE(), admin))
                        .statusCode())
                .isEqualTo(404);
        assertThat(client.send(ServiceClient.authorized(
                                client.request("/v1/tokens/NOT-AN-ID").DELETE(), admin))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void anExpiryMustBeAFutureTime() {
        assertThat(client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
                        .body())
                .contains("must be in the future");
        assertThat(client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\",\"expiresAt\":\"tomorrow\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\",\"label\":\"a\\u0000b\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void replacingTheAdminTokenRevokesTheOldOne() throws Exception {
        String old = admin;
        LocalService.rotateAdminToken(dataDirectory);
        String rotated = service.adminToken();
        assertThat(rotated).isNotEqualTo(old);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(service.adminTokenFile())))
                .isEqualTo("rw-------");

        assertThat(client.get("/v1/tokens", rotated).statusCode()).isEqualTo(200);
        assertThat(untilUnauthorized(old)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theDataDirectoryAndTheDatabaseAreTheOwnersOnly() throws Exception {
        java.nio.file.Path fresh = dataDirectory.resolve("fresh");
        service.close();
        service = LocalService.start(
                fresh, new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
        assertThat(client.postJson("/v1/reports", service.adminToken(), "{\"function\":\"orders\",\"events\":[]}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rwx------");
        for (String name : new String[] {
            SqliteStore.FILE_NAME,
            SqliteStore.FILE_NAME + "-wal",
            SqliteStore.FILE_NAME + "-shm",
            "signing-key",
            LocalService.ADMIN_TOKEN_FILE
        }) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve(name))))
                    .as(name)
                    .isEqualTo("rw-------");
        }
    }

    private String idOf(String token) {
        for (JsonNode listed : json(client.get("/v1/tokens", admin).body()).get("tokens")) {
            if (io.warden.service.auth.Tokens.sha256Hex(token)
                    .startsWith(listed.get("id").asText())) {
                return listed.get("id").asText();
            }
        }
        throw new AssertionError("no listed token matches");
    }

    /** Polls until the token is refused; how long that took. */
    private Duration untilUnauthorized(String token) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plusSeconds(60);
        while (client.get("/v1/functions", token).statusCode() != 401) {
            assertThat(Instant.now())
                    .as("the token is still taken after a minute")
                    .isBefore(deadline);
            Thread.sleep(100);
        }
        return Duration.between(start, Instant.now());
    }
}
