package io.warden.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.auth.Role;
import io.warden.service.auth.TokenAuthenticator;
import io.warden.service.auth.Tokens;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile input against the API on a real SQLite store: reports, policies and query strings built from valid
 * ones by replacing values with extreme, malformed or wrongly typed ones, truncating the JSON or flipping its bytes.
 * Whatever comes in, the answer is never a 5xx, every error is the documented JSON error, and a refused report stores
 * nothing at all (no event, no inventory change) while an accepted one stores exactly what its answer counts.
 */
class ApiInputPropertiesTest {

    static final String FUNCTION = "orders";
    static final String POLICY = """
            {"version": 1, "mode": "block", "network": {"allow": ["127.0.0.1:9797"]}, "files": {"read": ["/tmp/**"]}}""";

    static final List<String> PATHS = List.of(
            "/v1/violations",
            "/v1/violations/summary",
            "/v1/functions",
            "/v1/findings",
            "/metrics",
            "/healthz",
            "/v1/policies/" + FUNCTION,
            "/v1/signing-key",
            "/v1/scans/1",
            "/v1/scans/%00",
            "/v1/policies/%2e%2e");
    /** Tries per property; the seeds are SEED, SEED + 1, ...: a new base seed each run, printed on failure. */
    static final int TRIES = 1_000;

    static final long SEED = Long.getLong("warden.test.seed", System.nanoTime());

    @TempDir
    Path dataDirectory;

    SqliteStore store;
    WardenApi api;
    String admin;
    String reporter;
    final AtomicLong ids = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        store = SqliteStore.open(dataDirectory);
        api = new WardenApi(
                store, SigningKey.loadOrCreate(dataDirectory), new TokenAuthenticator(store), null, Clock.systemUTC());
        admin = mint(Role.ADMIN, null);
        reporter = mint(Role.REPORTER, FUNCTION);
        assertThat(handle("PUT", "/v1/policies/" + FUNCTION, null, admin, POLICY)
                        .status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aReportIsStoredWhollyOrNotAtAllAndNeverAnswered5xx() throws SQLException {
        for (long seed = SEED; seed < SEED + TRIES; seed++) {
            String body = report(new HostileInput(seed));
            try {
                checkReport(body);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", report " + body + ": " + e.getMessage(), e);
            }
        }
    }

    void checkReport(String body) throws SQLException {
        long eventsBefore = count("SELECT count(*) FROM violations");
        String inventoryBefore = inventory();
        ApiResponse response = handle("POST", "/v1/reports", null, reporter, body);
        assertDocumented(response);
        long stored = count("SELECT count(*) FROM violations") - eventsBefore;
        if (response.status() == 202) {
            JsonNode answer = json(response);
            assertThat(stored).isEqualTo(answer.get("accepted").asLong());
            assertThat(answer.get("accepted").asLong()
                            + answer.get("duplicates").asLong())
                    .isEqualTo(read(body).get("events").size());
        } else {
            assertThat(stored).as("events stored by a refused report").isZero();
            assertThat(inventory()).as("inventory after a refused report").isEqualTo(inventoryBefore);
        }
        // What was stored reads back through the API, as the agent's reader reads it.
        assertThat(handle("GET", "/v1/violations", "limit=1000", admin, null).status())
                .isEqualTo(200);
    }

    @Test
    void aPolicyIsReplacedWhollyOrNotAtAllAndNeverAnswered5xx() {
        for (long seed = SEED; seed < SEED + TRIES; seed++) {
            String body = policy(new HostileInput(seed));
            try {
                checkPolicy(body);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", policy " + body + ": " + e.getMessage(), e);
            }
        }
    }

    void checkPolicy(String body) {
        ApiResponse before = handle("GET", "/v1/policies/" + FUNCTION, null, admin, null);
        ApiResponse response = handle("PUT", "/v1/policies/" + FUNCTION, null, admin, body);
        assertDocumented(response);
        ApiResponse after = handle("GET", "/v1/policies/" + FUNCTION, null, admin, null);
        if (response.status() == 200) {
            assertThat(after.body()).isEqualTo(response.body());
        } else {
            assertThat(after.body()).as("the policy after a refused update").isEqualTo(before.body());
        }
    }

    @Test
    void noQueryIsAnswered5xx() {
        for (long seed = SEED; seed < SEED + TRIES; seed++) {
            HostileInput input = new HostileInput(seed);
            String path = input.pick(PATHS);
            String query = input.query(
                    "function",
                    "category",
                    "action",
                    "since",
                    "until",
                    "limit",
                    "cursor",
                    "type",
                    "severity",
                    "status",
                    "target",
                    "bucket",
                    "top");
            try {
                assertDocumented(handle("GET", path, query, admin, null));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", GET " + path + "?" + query + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- generators ---------------------------------------------------------------------------------------------

    String report(HostileInput input) {
        ObjectNode report = ApiJson.MAPPER.createObjectNode();
        report.put("function", FUNCTION);
        report.put("agentVersion", "0.1.0");
        report.put("mode", "block");
        ArrayNode events = report.putArray("events");
        for (int n = input.pick(List.of(0, 1, 2, 3, 6)); n > 0; n--) {
            String id = "e" + ids.incrementAndGet();
            Violation violation = Violation.builder()
                    .id(id)
                    .function(FUNCTION)
                    .time(Instant.parse("2024-05-01T12:00:00Z"))
                    .category(Category.NETWORK)
                    .operation("connect")
                    .target("evil.example:443")
                    .action(Action.BLOCKED)
                    .rule("network.allow (no match)")
                    .requestId("req-" + id)
                    .build();
            events.add(read(ViolationJson.toJsonLine(violation)));
        }
        for (int changes = input.changes(); changes > 0; changes--) {
            if (events.isEmpty() || input.pick(List.of(true, false, false))) {
                input.mutate(report, "function", "agentVersion", "mode", "events", "extra");
            } else {
                input.mutate(
                        (ObjectNode) events.get(input.pick(List.of(0, 1, 2, 3, 4, 5)) % events.size()),
                        "id",
                        "time",
                        "category",
                        "operation",
                        "target",
                        "action",
                        "rule",
                        "count",
                        "function",
                        "requestId",
                        "warden",
                        "extra");
            }
        }
        return input.text(report);
    }

    static String policy(HostileInput input) {
        ObjectNode policy = (ObjectNode) read(POLICY);
        for (int changes = input.changes(); changes > 0; changes--) {
            input.mutate(policy, "version", "mode", "network", "files", "processes", "extra");
        }
        return input.text(policy);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    ApiResponse handle(String method, String path, String query, String token, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = body == null
                ? Map.of("authorization", "Bearer " + token)
                : Map.of("authorization", "Bearer " + token, "content-type", ApiResponse.JSON);
        return api.handle(
                new ApiRequest(method, path, query, headers, new ByteArrayInputStream(bytes), bytes.length, null));
    }

    static void assertDocumented(ApiResponse response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.status()).as(body).isBetween(200, 499);
        if (response.status() >= 400) {
            JsonNode error = read(body);
            assertThat(error.path("error").isTextual()).as(body).isTrue();
            assertThat(error.path("message").asText()).as(body).isNotBlank();
        }
    }

    String mint(Role role, String function) {
        String token = Tokens.newToken();
        store.putToken(new TokenRecord(Tokens.sha256Hex(token), role.jsonName(), function, Instant.now()));
        return token;
    }

    long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    String inventory() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT name, agent_version, mode, last_seen_ms, blocked, alerted FROM functions ORDER BY name")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|"
                        + result.getLong(4) + "|" + result.getLong(5) + "|" + result.getLong(6));
            }
        }
        return String.join("\n", rows);
    }

    String url() {
        return "jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME);
    }

    static JsonNode json(ApiResponse response) {
        return read(new String(response.body(), StandardCharsets.UTF_8));
    }

    static JsonNode read(String text) {
        try {
            return ApiJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
