package io.warden.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.service.LocalService;
import io.warden.service.api.ServiceClient;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store stalled for longer than the write timeout (another process holds its write lock): reports wait and
 * are refused, while health, policies and listings are answered at once; what a refused report carried is never
 * stored later, and what the answers accepted is exactly what is stored.
 */
class StalledStoreTest {

    static final long PROMPT_MILLIS = 5_000;

    @TempDir
    Path dataDirectory;

    @Test
    void readsAreAnsweredWhileWritesStallAndARefusedReportIsNeverStored() throws Exception {
        try (LocalService service =
                LocalService.start(dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            ServiceClient client = new ServiceClient(service.baseUrl());
            String admin = service.adminToken();
            String reporter = client.reporterToken(admin, "orders");
            assertThat(client.putJson("/v1/policies/orders", admin, "{\"version\": 1, \"mode\": \"block\"}")
                            .statusCode())
                    .isEqualTo(200);
            List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
            try (Connection lock =
                            DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME));
                    Statement statement = lock.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                for (int i = 0; i < 12; i++) {
                    String body = "{\"function\":\"orders\",\"events\":[" + event("e" + i) + "]}";
                    reports.add(CompletableFuture.supplyAsync(() -> client.postJson("/v1/reports", reporter, body)));
                }
                long start = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    assertThat(client.get("/healthz", null).statusCode()).isEqualTo(200);
                    assertThat(client.get("/v1/policies/orders", reporter).statusCode())
                            .isEqualTo(200);
                    assertThat(client.get("/v1/violations", admin).statusCode()).isEqualTo(200);
                }
                assertThat((System.nanoTime() - start) / 1_000_000)
                        .as("nine reads during the stall")
                        .isLessThan(PROMPT_MILLIS);
                // Held past the write timeout, but shorter than the busy timeout: the report a commit holds still goes
                // in.
                Thread.sleep(SqliteStore.DEFAULT_WRITE_TIMEOUT.toMillis() + 2_000);
                statement.execute("ROLLBACK");
            }
            int accepted = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> report : reports) {
                HttpResponse<String> answer = report.join();
                if (answer.statusCode() == 202) {
                    accepted +=
                            ServiceClient.json(answer.body()).get("accepted").asInt();
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    refused++;
                }
            }
            assertThat(refused)
                    .as("reports no commit took up before the write timeout")
                    .isPositive();
            // Anything still to be written would be by now; nothing refused may come in later.
            JsonNode stored = ServiceClient.json(
                            client.get("/v1/violations?limit=1000", admin).body())
                    .get("violations");
            Thread.sleep(1_000);
            JsonNode later = ServiceClient.json(
                            client.get("/v1/violations?limit=1000", admin).body())
                    .get("violations");
            assertThat(stored.size()).isEqualTo(accepted);
            assertThat(later.size()).isEqualTo(accepted);
        }
    }

    static String event(String id) {
        return "{\"warden\":\"violation\",\"id\":\"" + id
                + "\",\"time\":\"2024-05-01T12:00:00.000Z\",\"category\":\"file\","
                + "\"operation\":\"read\",\"target\":\"/etc/shadow\",\"action\":\"blocked\",\"rule\":\"r\",\"count\":1}";
    }
}
