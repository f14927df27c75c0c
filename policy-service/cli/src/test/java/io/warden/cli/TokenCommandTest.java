package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.service.LocalService;
import io.warden.service.auth.Tokens;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden token} on a data directory of {@code warden serve}. */
@Tag("fast")
class TokenCommandTest {

    @TempDir
    Path dataDirectory;

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mintsListsAndRevokesTokens() throws Exception {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.putToken(new TokenRecord("ab".repeat(32), "admin", null, Instant.now()));
        }
        String dir = dataDirectory.toString();
        PolicySuggestCommandTest.Run created = PolicySuggestCommandTest.run(
                "token", "create", "--data-dir", dir, "--role", "reporter", "--function", "orders", "--label", "ci");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode token = JSON.readTree(created.out());
        String secret = token.get("token").asText();
        assertThat(secret).startsWith(Tokens.PREFIX);

        PolicySuggestCommandTest.Run listed = PolicySuggestCommandTest.run("token", "list", "--data-dir", dir);
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).doesNotContain(secret).contains("\"label\" : \"ci\"", "\"abababababababab\"");

        PolicySuggestCommandTest.Run revoked =
                PolicySuggestCommandTest.run("token", "revoke", token.get("id").asText(), "--data-dir", dir);
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            assertThat(store.token(Tokens.sha256Hex(secret))).isEmpty();
        }
        PolicySuggestCommandTest.Run again =
                PolicySuggestCommandTest.run("token", "revoke", token.get("id").asText(), "--data-dir", dir);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no token has id");

        PolicySuggestCommandTest.Run badRole =
                PolicySuggestCommandTest.run("token", "create", "--data-dir", dir, "--role", "root");
        assertThat(badRole.exitCode()).isEqualTo(1);
        assertThat(badRole.err()).contains("\"root\"");
    }

    @Test
    void rotatesTheAdminTokenAndRevokesTheOldOne() throws Exception {
        Files.writeString(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE), Tokens.newToken() + "\n");
        String old = Files.readString(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE))
                .trim();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.putToken(new TokenRecord(
                    Tokens.sha256Hex(old), "admin", null, Instant.now(), null, TokenRecord.ADMIN_TOKEN_FILE_LABEL));
        }
        PolicySuggestCommandTest.Run rotated =
                PolicySuggestCommandTest.run("token", "rotate-admin", "--data-dir", dataDirectory.toString());
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        String now = Files.readString(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE))
                .trim();
        assertThat(now).isNotEqualTo(old);
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            assertThat(store.token(Tokens.sha256Hex(old))).isEmpty();
            assertThat(store.token(Tokens.sha256Hex(now))).isPresent();
        }
    }

    @Test
    void refusesAMissingStore() {
        PolicySuggestCommandTest.Run missing = PolicySuggestCommandTest.run(
                "token", "list", "--data-dir", dataDirectory.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("holds no store");
    }
}
