package io.warden.service.api;

import static io.warden.service.api.ServiceClient.authorized;
import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Policy;
import io.warden.policy.PolicySignature;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.auth.Tokens;
import io.warden.service.signing.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The API over real HTTP against {@code warden serve}'s service on a fresh data directory. */
class ApiTest extends ServiceOnLoopback {

    static final String POLICY = """
            {"version": 1, "mode": "block", "network": {"allow": ["127.0.0.1:9797"]}, "files": {"read": ["/tmp/**"]}}""";

    static String event(String id, String function, String time) {
        return ViolationJson.toJsonLine(Violation.builder()
                .id(id)
                .function(function)
                .time(Instant.parse(time))
                .category(io.warden.policy.Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(io.warden.policy.Action.BLOCKED)
                .rule("network.allow (no match)")
                .requestId("req-" + id)
                .build());
    }

    static String report(String function, String... events) {
        return "{\"function\":\"" + function + "\",\"agentVersion\":\"0.1.0\",\"mode\":\"block\",\"events\":["
                + String.join(",", events) + "]}";
    }

    JsonNode violations(String query) {
        HttpResponse<String> response = client.get("/v1/violations" + query, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("violations").forEach(v -> ids.add(v.get("id").asText()));
        return ids;
    }

    /** Nothing at all was stored: no violation, no function in the inventory. */
    void assertNothingStored() {
        assertThat(violations("").get("violations")).isEmpty();
        assertThat(json(client.get("/v1/functions", admin).body()).get("functions"))
                .isEmpty();
    }

    @Nested
    class Reports {
        @Test
        void areAcceptedOnceAndRetriesCountAsDuplicates() {
            String body = report(
                    "orders",
                    event("a", "orders", "2024-05-01T12:00:00Z"),
                    event("b", "orders", "2024-05-01T12:00:01Z"));
            HttpResponse<String> first = client.postJson("/v1/reports", reporter, body);
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(json(first.body())).isEqualTo(json("{\"accepted\":2,\"duplicates\":0}"));
            HttpResponse<String> retry = client.postJson("/v1/reports", reporter, body);
            assertThat(json(retry.body())).isEqualTo(json("{\"accepted\":0,\"duplicates\":2}"));
            assertThat(ids(violations(""))).containsExactly("b", "a");
            assertThat(violations("").get("violations").get(0).get("requestId").asText())
                    .isEqualTo("req-b");
        }

        @Test
        void eventsWithoutAFunctionTakeTheReportsFunction() {
            String event = "{\"warden\":\"violation\",\"id\":\"x1\",\"time\":\"2024-05-01T12:00:00.000Z\","
                    + "\"category\":\"file\",\"operation\":\"read\",\"target\":\"/etc/shadow\",\"action\":\"alerted\","
                    + "\"rule\":\"files.read (no match)\",\"count\":1}";
            assertThat(client.postJson("/v1/reports", reporter, report("orders", event))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(violations("?function=orders")
                            .get("violations")
                            .get(0)
                            .get("function")
                            .asText())
                    .isEqualTo("orders");
        }

        @Test
        void aReporterMayReportOnlyForItsFunction() {
            HttpResponse<String> response = client.postJson(
                    "/v1/reports", reporter, report("billing", event("a", "billing", "2024-05-01T12:00:00Z")));
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("\\\"billing\\\"");
            String everyFunction = client.reporterToken(admin, "*");
            assertThat(client.postJson(
                                    "/v1/reports",
                                    everyFunction,
                                    report("billing", event("b", "billing", "2024-05-01T12:00:00Z")))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(ids(violations(""))).containsExactly("b");
        }

        @Test
        void eventTimesOutsideWhatTheAgentsReaderReadsAreRefusedByValue() {
            for (String time :
                    List.of("+300000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z")) {
                String event = event("far", "orders", "2024-05-01T12:00:00Z").replace("2024-05-01T12:00:00.000Z", time);
                HttpResponse<String> response = client.postJson("/v1/reports", reporter, report("orders", event));
                assertThat(error(response, 400))
                        .contains("\"time\"")
                        .contains("outside 1970-01-01T00:00:00Z to 9999-12-31");
            }
            assertNothingStored();
            String latest = event("last", "orders", "2024-05-01T12:00:00Z")
                    .replace("2024-05-01T12:00:00.000Z", "9999-12-31T23:59:59.999Z");
            assertThat(client.postJson("/v1/reports", reporter, report("orders", latest))
                            .statusCode())
                    .isEqualTo(202);
            JsonNode stored = violations("").get("violations").get(0);
            assertThat(ViolationJson.parse(stored.toString()).time())
                    .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
        }

        @Test
        void malformedJsonIsRefusedWithItsPosition() {
            HttpResponse<String> response =
                    client.postJson("/v1/reports", reporter, "{\"function\": \"orders\", \"events\": [");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).get("message").asText()).contains("malformed JSON at line 1");
            assertNothingStored();
        }

        @Test
        void unknownFieldsAreRefusedByName() {
            HttpResponse<String> response = client.postJson(
                    "/v1/reports", reporter, "{\"function\":\"orders\",\"events\":[],\"severity\":\"high\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).get("message").asText()).contains("unknown field \"severity\"");
            assertNothingStored();
        }

        @Test
        void oneBadEventRefusesTheWholeBatch() {
            String bad = event("b", "orders", "2024-05-01T12:00:00Z").replace("\"network\"", "\"telepathy\"");
            HttpResponse<String> response = client.postJson(
                    "/v1/reports", reporter, report("orders", event("a", "orders", "2024-05-01T12:00:00Z"), bad));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).get("message").asText())
                    .startsWith("report: events[1] (id b): ")
                    .contains("telepathy");
            assertNothingStored();
        }

        @Test
        void eventsNeedAnIdAndTheReportsFunction() {
            String noId = event("a", "orders", "2024-05-01T12:00:00Z").replace("\"id\":\"a\",", "");
            HttpResponse<String> missingId = client.postJson("/v1/reports", reporter, report("orders", noId));
            assertThat(missingId.statusCode()).isEqualTo(400);
            assertThat(json(missingId.body()).get("message").asText())
                    .isEqualTo("report: events[0]: \"id\" is missing");
            HttpResponse<String> otherFunction = client.postJson(
                    "/v1/reports", reporter, report("orders", event("a", "billing", "2024-05-01T12:00:00Z")));
            assertThat(otherFunction.statusCode()).isEqualTo(400);
            assertThat(json(otherFunction.body()).get("message").asText()).contains("\"billing\" differs");
            assertNothingStored();
        }

        @Test
        void tooManyEventsAreRefused() {
            String[] events = new String[ReportRoutes.MAX_EVENTS_PER_REPORT + 1];
            for (int i = 0; i < events.length; i++) {
                events[i] = event("e" + i, "orders", "2024-05-01T12:00:00Z");
            }
            HttpResponse<String> response = client.postJson("/v1/reports", reporter, report("orders", events));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).get("message").asText()).contains("more than the 500 events");
            assertNothingStored();
        }

        @Test
        void oversizedBodiesAreRefusedWhetherDeclaredOrStreamed() throws IOException {
            assertThat(client.postDeclaringLength("/v1/reports", reporter, ReportRoutes.MAX_REPORT_BYTES + 1L))
                    .startsWith("HTTP/1.1 413")
                    .contains("larger than the limit of 1048576 bytes");
            // Without a Content-Length (chunked), the limit applies while reading. The client sends one byte past the
            // limit and then waits for the answer: a client still sending when the server closes may see the close
            // (a reset) before the answer, which is TCP's doing, not the service's.
            assertThat(streamedPastTheLimit(ReportRoutes.MAX_REPORT_BYTES + 1))
                    .startsWith("HTTP/1.1 413")
                    .contains("larger than the limit of 1048576 bytes");
            assertNothingStored();
        }

        /** Sends a chunked report of {@code bytes} bytes without its last chunk, and reads the answer. */
        String streamedPastTheLimit(int bytes) throws IOException {
            URI uri = URI.create(service.baseUrl());
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                                        + reporter + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int left = bytes; left > 0; left -= chunk.length) {
                    int n = Math.min(left, chunk.length);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }

        @Test
        void otherContentTypesAreRefused() {
            HttpResponse<String> response = client.send(authorized(
                    client.request("/v1/reports")
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    report("orders", event("a", "orders", "2024-05-01T12:00:00Z")))),
                    reporter));
            assertThat(response.statusCode()).isEqualTo(415);
            assertThat(json(response.body()).get("message").asText()).contains("\"text/plain\" is not accepted");
            assertNothingStored();
        }

        @Test
        void missingOrWrongCredentialsAreRefused() {
            String body = report("orders", event("a", "orders", "2024-05-01T12:00:00Z"));
            HttpResponse<String> missing = client.postJson("/v1/reports", null, body);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(json(missing.body()).get("message").asText()).contains("missing Authorization header");
            HttpResponse<String> unknown = client.postJson("/v1/reports", "wdn_not-a-real-token", body);
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(json(unknown.body()).get("message").asText()).isEqualTo("unknown token \"wdn_not-…\"");
            HttpResponse<String> basic = client.send(client.request("/v1/reports")
                    .header("Authorization", "Basic dXNlcg==")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(basic.statusCode()).isEqualTo(401);
            assertThat(json(basic.body()).get("message").asText()).contains("scheme \"Basic\" is not Bearer");
            assertNothingStored();
        }
    }

    @Nested
    class Policies {
        @Test
        void areServedCanonicalSignedAndWithAnEtag() {
            HttpResponse<String> put = client.putJson("/v1/policies/orders", admin, POLICY);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

            HttpResponse<byte[]> get = client.sendForBytes(
                    authorized(client.request("/v1/policies/orders").GET(), reporter));
            assertThat(get.statusCode()).isEqualTo(200);
            byte[] body = get.body();
            assertThat(new String(body, StandardCharsets.UTF_8))
                    .isEqualTo(parse(POLICY).toJson());
            assertThat(get.headers().firstValue("ETag"))
                    .contains("\"" + HexFormat.of().formatHex(Tokens.sha256(body)) + "\"");
            assertThat(get.headers().firstValue("X-Warden-Key-Id"))
                    .contains(service.signingKey().keyId());
            byte[] signature = Base64.getDecoder()
                    .decode(get.headers().firstValue("X-Warden-Signature").orElseThrow());
            assertThat(get.headers().firstValue("X-Warden-Policy-Function")).contains("orders");
            long revision = Long.parseLong(
                    get.headers().firstValue("X-Warden-Policy-Revision").orElseThrow());
            long expires = Long.parseLong(
                    get.headers().firstValue("X-Warden-Policy-Expires").orElseThrow());
            assertThat(Instant.ofEpochSecond(expires))
                    .isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(15 * 60 + 1));
            String publicKey = service.signingKey().publicKeyBase64();
            assertThat(SigningKey.verify(
                            publicKey, PolicySignature.message("orders", revision, expires, body), signature))
                    .isTrue();
            assertThat(SigningKey.verify(publicKey, body, signature))
                    .as("the body alone")
                    .isFalse();
            assertThat(SigningKey.verify(
                            publicKey, PolicySignature.message("billing", revision, expires, body), signature))
                    .as("for another function")
                    .isFalse();
            assertThat(SigningKey.verify(
                            publicKey, PolicySignature.message("orders", revision - 1, expires, body), signature))
                    .as("another revision")
                    .isFalse();
            assertThat(SigningKey.verify(
                            publicKey, PolicySignature.message("orders", revision, expires + 3600, body), signature))
                    .as("a later expiry")
                    .isFalse();
            byte[] tampered = new String(body, StandardCharsets.UTF_8)
                    .replace("127.0.0.1:9797", "0.0.0.0/0")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(SigningKey.verify(
                            publicKey, PolicySignature.message("orders", revision, expires, tampered), signature))
                    .isFalse();
        }

        @Test
        void everyChangeOfAPolicyHasAHigherRevision() {
            long previous = 0;
            for (String mode : new String[] {"block", "alert", "block"}) {
                HttpResponse<String> put =
                        client.putJson("/v1/policies/orders", admin, POLICY.replace("\"block\"", "\"" + mode + "\""));
                long revision = Long.parseLong(
                        put.headers().firstValue("X-Warden-Policy-Revision").orElseThrow());
                assertThat(revision).isGreaterThan(previous);
                assertThat(client.get("/v1/policies/orders", reporter).headers().firstValue("X-Warden-Policy-Revision"))
                        .contains(Long.toString(revision));
                previous = revision;
            }
        }

        @Test
        void anUnchangedPolicyIsNotSentAgain() {
            client.putJson("/v1/policies/orders", admin, POLICY);
            String etag = client.get("/v1/policies/orders", reporter)
                    .headers()
                    .firstValue("ETag")
                    .orElseThrow();
            HttpResponse<String> same = client.send(authorized(
                    client.request("/v1/policies/orders")
                            .header("If-None-Match", etag)
                            .GET(),
                    reporter));
            assertThat(same.statusCode()).isEqualTo(304);
            assertThat(same.body()).isEmpty();
            client.putJson("/v1/policies/orders", admin, POLICY.replace("\"block\"", "\"alert\""));
            HttpResponse<String> changed = client.send(authorized(
                    client.request("/v1/policies/orders")
                            .header("If-None-Match", etag)
                            .GET(),
                    reporter));
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(json(changed.body()).get("mode").asText()).isEqualTo("alert");
        }

        @Test
        void anInvalidPolicyIsRefusedByTheAgentsParserAndNotStored() {
            HttpResponse<String> put = client.putJson(
                    "/v1/policies/orders",
                    admin,
                    "{\"version\": 1, \"network\": {\"allow\": [\"db.internal:99999\"]}}");
            assertThat(put.statusCode()).isEqualTo(400);
            JsonNode error = json(put.body());
            assertThat(error.get("pointer").asText()).isEqualTo("/network/allow/0");
            assertThat(error.get("message").asText())
                    .isEqualTo(
                            "PUT /v1/policies/orders: /network/allow/0: \"db.internal:99999\" has port 99999 outside 1-65535");
            assertThat(client.get("/v1/policies/orders", admin).statusCode()).isEqualTo(404);
        }

        @Test
        void onlyAdminsWriteAndReportersReadOnlyTheirOwn() {
            assertThat(client.putJson("/v1/policies/orders", reporter, POLICY).statusCode())
                    .isEqualTo(403);
            client.putJson("/v1/policies/billing", admin, POLICY);
            HttpResponse<String> other = client.get("/v1/policies/billing", reporter);
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(client.get("/v1/policies/orders", reporter).statusCode()).isEqualTo(404);
            assertThat(client.get("/v1/policies/not%20a%20name", admin).statusCode())
                    .isEqualTo(400);
        }
    }

    @Nested
    class Listing {
        @Test
        void violationsArePagedNewestFirstAndFiltered() {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                events.add(event("e" + i, "orders", "2024-05-01T12:00:0" + i + "Z"));
            }
            client.postJson("/v1/reports", reporter, report("orders", events.toArray(String[]::new)));
            JsonNode first = violations("?limit=4");
            assertThat(ids(first)).containsExactly("e8", "e7", "e6", "e5");
            JsonNode second =
                    violations("?limit=4&cursor=" + first.get("nextCursor").asText());
            assertThat(ids(second)).containsExactly("e4", "e3", "e2", "e1");
            JsonNode third =
                    violations("?limit=4&cursor=" + second.get("nextCursor").asText());
            assertThat(ids(third)).containsExactly("e0");
            assertThat(third.get("nextCursor").isNull()).isTrue();
            assertThat(ids(violations("?function=orders&category=network&action=blocked"
                            + "&since=2024-05-01T12:00:02Z&until=2024-05-01T12:00:04Z")))
                    .containsExactly("e3", "e2");
            assertThat(ids(violations("?action=alerted"))).isEmpty();
        }

        @Test
        void badQueriesAreRefusedByName() {
            assertThat(error(client.get("/v1/violations?colour=red", admin), 400))
                    .contains("unknown query parameter \"colour\"");
            assertThat(error(client.get("/v1/violations?limit=0", admin), 400)).contains("\"limit\" \"0\"");
            assertThat(error(client.get("/v1/violations?since=yesterday", admin), 400))
                    .contains("\"since\" \"yesterday\"");
            assertThat(error(client.get("/v1/violations?category=telepathy", admin), 400))
                    .contains("telepathy");
            assertThat(error(client.get("/v1/violations?cursor=bm9wZQ", admin), 400))
                    .contains("cursor \"bm9wZQ\"");
            assertThat(error(client.get("/v1/violations?since=%2B300000000-01-01T00:00:00Z", admin), 400))
                    .contains("\"since\" +300000000-01-01T00:00:00Z is outside");
            assertThat(error(client.get("/v1/violations?until=-10000-01-01T00:00:00Z", admin), 400))
                    .contains("\"until\"");
            String farCursor = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((Long.MAX_VALUE + ":e1").getBytes(StandardCharsets.UTF_8));
            assertThat(error(client.get("/v1/violations?cursor=" + farCursor, admin), 400))
                    .contains("is not a cursor");
            assertThat(error(client.get("/v1/violations", reporter), 403)).contains("needs an admin");
        }

        @Test
        void theInventoryShowsReportingAndScannedFunctions() throws IOException {
            client.postJson("/v1/reports", reporter, report("orders", event("a", "orders", "2024-05-01T12:00:00Z")));
            HttpResponse<String> scan = client.send(authorized(
                    client.request("/v1/scans?function=billing")
                            .header("Content-Type", "application/zip")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(zip())),
                    admin));
            assertThat(scan.statusCode()).as(scan.body()).isEqualTo(201);
            JsonNode functions = json(client.get("/v1/functions", admin).body()).get("functions");
            assertThat(functions).hasSize(2);
            assertThat(functions.get(0).get("function").asText()).isEqualTo("billing");
            assertThat(functions.get(0).get("latestScan").get("summary")).isEqualTo(json("{\"entries\":2}"));
            assertThat(functions.get(0).get("lastSeen").isNull()).isTrue();
            JsonNode orders = functions.get(1);
            assertThat(orders.get("agentVersion").asText()).isEqualTo("0.1.0");
            assertThat(orders.get("mode").asText()).isEqualTo("block");
            assertThat(orders.get("violations")).isEqualTo(json("{\"blocked\":1,\"alerted\":0}"));
            assertThat(orders.get("latestScan").isNull()).isTrue();
            assertThat(orders.get("policy").isNull()).isTrue();

            HttpResponse<String> stored = client.putJson("/v1/policies/orders", admin, POLICY);
            JsonNode listed = json(client.get("/v1/functions", admin).body())
                    .get("functions")
                    .get(1)
                    .get("policy");
            assertThat("\"" + listed.get("etag").asText() + "\"")
                    .isEqualTo(stored.headers().firstValue("ETag").orElseThrow());
            assertThat(listed.get("revision").asText())
                    .isEqualTo(stored.headers()
                            .firstValue("X-Warden-Policy-Revision")
                            .orElseThrow());
        }
    }

    @Nested
    class Scans {
        @Test
        void areKeptAndReadBack() throws IOException {
            HttpResponse<String> post = client.send(authorized(
                    client.request("/v1/scans?function=orders")
                            .header("Content-Type", "application/zip")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(zip())),
                    admin));
            assertThat(post.statusCode()).isEqualTo(201);
            String id = json(post.body()).get("id").asText();
            assertThat(post.headers().firstValue("Location")).contains("/v1/scans/" + id);
            HttpResponse<String> get = client.get("/v1/scans/" + id, admin);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(json(get.body())).isEqualTo(json(post.body()));
            assertThat(json(get.body()).get("result").get("entries").get(1).asText())
                    .isEqualTo("lib/dependency.jar");
            assertThat(client.get("/v1/scans/unknown", admin).statusCode()).isEqualTo(404);
        }

        @Test
        void badUploadsAreRefusedAndNothingIsKept() {
            assertThat(error(
                            client.send(authorized(
                                    client.request("/v1/scans?function=orders")
                                            .header("Content-Type", "application/zip")
                                            .POST(HttpRequest.BodyPublishers.ofString("not a zip")),
                                    admin)),
                            422))
                    .contains("cannot be scanned");
            assertThat(error(
                            client.send(authorized(
                                    client.request("/v1/scans")
                                            .header("Content-Type", "application/zip")
                                            .POST(HttpRequest.BodyPublishers.ofString("x")),
                                    admin)),
                            400))
                    .contains("function name is missing");
            assertThat(error(
                            client.send(authorized(
                                    client.request("/v1/scans?function=orders")
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString("{}")),
                                    admin)),
                            415))
                    .contains("expected application/zip");
            assertThat(json(client.get("/v1/functions", admin).body()).get("functions"))
                    .isEmpty();
        }
    }

    @Nested
    class Service {
        @Test
        void healthNeedsNoCredentialsAndMetricsNeedAnAdmin() {
            HttpResponse<String> health = client.get("/healthz", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json(health.body())).isEqualTo(json("{\"status\":\"ok\"}"));
            client.postJson("/v1/reports", reporter, report("orders", event("a", "orders", "2024-05-01T12:00:00Z")));
            client.postJson("/v1/reports", reporter, report("orders", event("a", "orders", "2024-05-01T12:00:00Z")));
            assertThat(client.get("/metrics", null).statusCode()).isEqualTo(401);
            assertThat(client.get("/metrics", reporter).statusCode()).isEqualTo(403);
            HttpResponse<String> metrics = client.get("/metrics", admin);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains(
                            "warden_events_accepted_total 1\n",
                            "warden_events_duplicate_total 1\n",
                            "warden_requests_total{route=\"POST /v1/reports\",status=\"202\"} 2\n");
        }

        @Test
        void tokensAreMintedByAdminsOnly() {
            assertThat(error(
                            client.postJson("/v1/tokens", reporter, "{\"role\":\"reporter\",\"function\":\"orders\"}"),
                            403))
                    .contains("needs an admin");
            assertThat(error(client.postJson("/v1/tokens", admin, "{\"role\":\"root\"}"), 400))
                    .contains("\"root\"");
            assertThat(error(client.postJson("/v1/tokens", admin, "{\"role\":\"reporter\"}"), 400))
                    .contains("\"function\" is missing");
            assertThat(error(client.postJson("/v1/tokens", admin, "{\"role\":\"reporter\",\"function\":\"a b\"}"), 400))
                    .contains("\"a b\"");
            HttpResponse<String> minted = client.postJson("/v1/tokens", admin, "{\"role\":\"admin\"}");
            assertThat(minted.statusCode()).isEqualTo(201);
            assertThat(client.get(
                                    "/v1/functions",
                                    json(minted.body()).get("token").asText())
                            .statusCode())
                    .isEqualTo(200);
        }

        @Test
        void unknownRoutesAndMethodsAreNamed() {
            assertThat(error(client.get("/v2/nothing", admin), 404)).contains("no route GET /v2/nothing");
            HttpResponse<String> delete =
                    client.send(authorized(client.request("/v1/reports").DELETE(), admin));
            assertThat(delete.statusCode()).isEqualTo(405);
            assertThat(delete.headers().firstValue("Allow")).contains("POST");
        }
    }

    @Nested
    class Viewers {
        String viewer;

        @BeforeEach
        void mintViewer() {
            HttpResponse<String> minted = client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\"}");
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
            assertThat(json(minted.body()).get("role").asText()).isEqualTo("viewer");
            viewer = json(minted.body()).get("token").asText();
        }

        @Test
        void readWhatPeopleRead() throws IOException {
            client.postJson("/v1/reports", reporter, report("orders", event("a", "orders", "2024-05-01T12:00:00Z")));
            client.putJson("/v1/policies/billing", admin, POLICY);
            String scan = json(client.send(authorized(
                                    client.request("/v1/scans?function=orders")
                                            .header("Content-Type", "application/zip")
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(zip())),
                                    admin))
                            .body())
                    .get("id")
                    .asText();
            assertThat(ids(json(client.get("/v1/violations", viewer).body()))).containsExactly("a");
            assertThat(client.get(
                                    "/v1/violations/summary?since=2024-05-01T00:00:00Z&until=2024-05-02T00:00:00Z",
                                    viewer)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(json(client.get("/v1/functions", viewer).body()).get("functions"))
                    .hasSize(1);
            assertThat(client.get("/v1/findings", viewer).statusCode()).isEqualTo(200);
            assertThat(client.get("/v1/scans/" + scan, viewer).statusCode()).isEqualTo(200);
            assertThat(json(client.get("/v1/policies/billing", viewer).body())
                            .get("mode")
                            .asText())
                    .isEqualTo("block");
        }

        @Test
        void changeNothing() throws IOException {
            assertThat(error(client.putJson("/v1/policies/orders", viewer, POLICY), 403))
                    .contains("needs an admin");
            assertThat(error(client.postJson("/v1/tokens", viewer, "{\"role\":\"admin\"}"), 403))
                    .contains("needs an admin");
            assertThat(error(
                            client.postJson(
                                    "/v1/reports",
                                    viewer,
                                    report("orders", event("a", "orders", "2024-05-01T12:00:00Z"))),
                            403))
                    .contains("may not report for function \"orders\"");
            assertThat(error(
                            client.send(authorized(
                                    client.request("/v1/scans?function=orders")
                                            .header("Content-Type", "application/zip")
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(zip())),
                                    viewer)),
                            403))
                    .contains("needs an admin");
            assertThat(error(client.get("/metrics", viewer), 403)).contains("needs an admin");
            assertThat(client.get("/v1/policies/orders", admin).statusCode()).isEqualTo(404);
            assertNothingStored();
        }

        @Test
        void coverEveryFunctionAndReportersStayOutOfReads() {
            assertThat(error(
                            client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\",\"function\":\"orders\"}"), 400))
                    .contains("drop \"function\"");
            for (String read : List.of(
                    "/v1/violations", "/v1/violations/summary", "/v1/functions", "/v1/findings", "/v1/scans/x")) {
                assertThat(error(client.get(read, reporter), 403)).as(read).contains("needs an admin or a viewer");
            }
            assertThat(error(client.get("/v1/policies/billing", reporter), 403)).contains("\"billing\"");
        }
    }

    @Nested
    class Summaries {
        static final String DAY = "since=2024-05-01T00:00:00Z&until=2024-05-02T00:00:00Z";

        static String event(
                String id, String function, String time, String category, String action, String target, int count) {
            return ViolationJson.toJsonLine(Violation.builder()
                    .id(id)
                    .function(function)
                    .time(Instant.parse(time))
                    .category(io.warden.policy.Category.fromJsonName(category))
                    .operation("op")
                    .target(target)
                    .action(io.warden.policy.Action.fromJsonName(action))
                    .rule("rule")
                    .count(count)
                    .build());
        }

        JsonNode summary(String query) {
            HttpResponse<String> response = client.get("/v1/violations/summary?" + query, admin);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return json(response.body());
        }

        @BeforeEach
        void seed() {
            String everyFunction = client.reporterToken(admin, "*");
            client.postJson(
                    "/v1/reports",
                    everyFunction,
                    report(
                            "orders",
                            event("o1", "orders", "2024-05-01T00:10:00Z", "network", "blocked", "evil.example:443", 3),
                            event("o2", "orders", "2024-05-01T05:59:59Z", "network", "blocked", "evil.example:443", 1),
                            event(
                                    "o3",
                                    "orders",
                                    "2024-05-01T06:00:00Z",
                                    "process",
                                    "blocked",
                                    "<script>alert(1)</script>",
                                    1),
                            event("o4", "orders", "2024-05-01T23:00:00Z", "file", "alerted", "/etc/passwd", 2),
                            event(
                                    "o5",
                                    "orders",
                                    "2024-04-30T23:59:59Z",
                                    "network",
                                    "blocked",
                                    "before.example:443",
                                    9)));
            client.postJson(
                    "/v1/reports",
                    everyFunction,
                    report(
                            "billing",
                            event("b1", "billing", "2024-05-01T12:00:00Z", "dns", "alerted", "billing.example", 1)));
        }

        @Test
        void countsARangePerBucketCategoryAndAction() {
            JsonNode summary = summary(DAY + "&bucket=21600");
            assertThat(summary.get("bucketSeconds").asLong()).isEqualTo(21_600);
            assertThat(summary.get("buckets").asInt()).isEqualTo(4);
            assertThat(summary.get("totals")).isEqualTo(json("{\"blocked\":5,\"alerted\":3}"));
            assertThat(summary.get("series")).isEqualTo(json("""
                    [{"category":"network","action":"blocked","counts":[4,0,0,0]},
                     {"category":"dns","action":"alerted","counts":[0,0,1,0]},
                     {"category":"file","action":"alerted","counts":[0,0,0,2]},
                     {"category":"process","action":"blocked","counts":[0,1,0,0]}]"""));
            assertThat(summary.get("topFunctions")).isEqualTo(json("""
                    [{"function":"orders","blocked":5,"alerted":2},{"function":"billing","blocked":0,"alerted":1}]"""));
            assertThat(summary.get("topBlockedTargets")).isEqualTo(json("""
                    [{"target":"evil.example:443","category":"network","blocked":4},
                     {"target":"<script>alert(1)</script>","category":"process","blocked":1}]"""));
        }

        @Test
        void narrowsToAFunctionAndCutsTheTopLists() {
            JsonNode billing = summary(DAY + "&function=billing");
            assertThat(billing.get("function").asText()).isEqualTo("billing");
            assertThat(billing.get("bucketSeconds").asLong())
                    .as("default bucket")
                    .isEqualTo(3_600);
            assertThat(billing.get("totals")).isEqualTo(json("{\"blocked\":0,\"alerted\":1}"));
            assertThat(billing.get("topBlockedTargets")).isEmpty();
            JsonNode top1 = summary(DAY + "&top=1");
            assertThat(top1.get("topFunctions")).hasSize(1);
            assertThat(top1.get("topBlockedTargets").get(0).get("target").asText())
                    .isEqualTo("evil.example:443");
        }

        @Test
        void theTargetsLinkToTheirRows() {
            String target = java.net.URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8);
            assertThat(ids(violations("?action=blocked&target=" + target))).containsExactly("o3");
            assertThat(ids(violations("?target=evil.example%3A443"))).containsExactly("o2", "o1");
        }

        @Test
        void badRangesAreRefusedByName() {
            assertThat(error(
                            client.get(
                                    "/v1/violations/summary?since=2024-05-02T00:00:00Z&until=2024-05-01T00:00:00Z",
                                    admin),
                            400))
                    .contains("is not before \"until\"");
            assertThat(error(client.get("/v1/violations/summary?" + DAY + "&bucket=59", admin), 400))
                    .contains("\"bucket\" \"59\" is not a number from 60 to 604800");
            assertThat(error(
                            client.get(
                                    "/v1/violations/summary?since=2023-01-01T00:00:00Z&until=2024-01-01T00:00:00Z"
                                            + "&bucket=60",
                                    admin),
                            400))
                    .contains("more than 1000 buckets");
            assertThat(error(client.get("/v1/violations/summary?" + DAY + "&top=101", admin), 400))
                    .contains("\"top\"");
            assertThat(error(client.get("/v1/violations/summary?" + DAY + "&category=network", admin), 400))
                    .contains("unknown query parameter \"category\"");
            assertThat(error(client.get("/v1/violations/summary?until=%2B10000-01-01T00:00:00Z", admin), 400))
                    .contains("\"until\" +10000-01-01T00:00:00Z is outside");
            assertThat(error(client.get("/v1/violations/summary?until=1970-01-01T01:00:00Z", admin), 400))
                    .contains("\"since\" 1969-12-31T01:00:00Z is outside");
        }
    }

    static String error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response.body()).get("message").asText();
    }

    static Policy parse(String json) {
        try {
            return Policy.parse(json, "test");
        } catch (io.warden.policy.PolicyException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("com/example/Handler.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            zip.putNextEntry(new ZipEntry("lib/dependency.jar"));
            zip.write(Files.readAllBytes(Path.of(System.getProperty("warden.example.zip"))), 0, 16);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
