package io.warden.service.api;

import static io.warden.service.api.ApiTest.error;
import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/observations} and {@code GET /v1/functions/{function}/observations} over real HTTP on SQLite. */
class ObservationsApiTest extends ServiceOnLoopback {

    static final String LINE = """
            {"warden":"observation","version":1,"id":"o-1","function":"orders","functionVersion":"$LATEST",
             "account":"123456789012","region":"eu-west-1","requestId":"r1","time":"2026-12-07T15:00:00Z",
             "mode":"alert","dropped":0,"items":[
              {"kind":"network","host":"orders.example.com","address":"10.0.0.5","port":443,"count":3,
               "caller":"com.acme.X.y"},
              {"kind":"dns","name":"orders.example.com","count":1},
              {"kind":"file","operation":"write","path":"/tmp/**","count":12},
              {"kind":"process","program":"/usr/bin/ldd","args":["--version"],"count":1},
              {"kind":"native","path":"/opt/lib/libx.so","count":1},
              {"kind":"jndi","name":"java:comp/env/x","count":1},
              {"kind":"deserialization","class":"com.acme.Order","count":1},
              {"kind":"aws","service":"dynamodb","operation":"GetItem","region":"eu-west-1",
               "resources":{"TableName":"orders"},"count":5,"error":null}
             ]}""";

    JsonNode observations(String query) {
        HttpResponse<String> response = client.get("/v1/functions/orders/observations" + query, admin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    static List<JsonNode> items(JsonNode stored) {
        List<JsonNode> items = new ArrayList<>();
        stored.get("items").forEach(items::add);
        return items;
    }

    void assertNothingStored() {
        JsonNode stored = observations("");
        assertThat(stored.get("items")).isEmpty();
        assertThat(stored.get("versions")).isEmpty();
    }

    @Test
    void theContractsExampleIsStoredMergedAndReadBack() {
        HttpResponse<String> first = client.postJson("/v1/observations", reporter, LINE);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(json(first.body()).get("accepted").asInt()).isEqualTo(8);
        assertThat(json(first.body()).get("refused").asInt()).isZero();
        HttpResponse<String> second = client.postJson(
                "/v1/observations",
                reporter,
                LINE.replace("\"o-1\"", "\"o-2\"")
                        .replace("2026-12-07T15:00:00Z", "2026-12-07T16:00:00Z")
                        .replace("com.acme.X.y", "com.acme.X.z"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);

        JsonNode stored = observations("?version=%24LATEST");
        assertThat(stored.get("items")).hasSize(8);
        JsonNode network = items(stored).stream()
                .filter(i -> i.get("kind").asText().equals("network"))
                .findFirst()
                .orElseThrow();
        assertThat(network.get("host").asText()).isEqualTo("orders.example.com");
        assertThat(network.get("port").asInt()).isEqualTo(443);
        assertThat(network.get("count").asLong()).isEqualTo(6);
        assertThat(network.get("firstSeen").asText()).isEqualTo("2026-12-07T15:00:00Z");
        assertThat(network.get("lastSeen").asText()).isEqualTo("2026-12-07T16:00:00Z");
        assertThat(network.get("caller").asText()).isEqualTo("com.acme.X.z");
        assertThat(network.get("operation").asText()).isEqualTo("connect");
        JsonNode aws = items(stored).stream()
                .filter(i -> i.get("kind").asText().equals("aws"))
                .findFirst()
                .orElseThrow();
        assertThat(aws.get("resources").get("TableName").asText()).isEqualTo("orders");
        assertThat(aws.has("error")).isFalse();
        assertThat(stored.get("versions")).singleElement().satisfies(v -> {
            assertThat(v.get("version").asText()).isEqualTo("$LATEST");
            assertThat(v.get("lines").asLong()).isEqualTo(2);
        });
        assertThat(stored.get("totals").get("items").asLong()).isEqualTo(8);
        assertThat(observations("?version=7").get("items")).isEmpty();
    }

    @Test
    void aLinePostedAgainIsAnsweredAsStoredAndChangesNothing() {
        HttpResponse<String> first = client.postJson("/v1/observations", reporter, LINE);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(json(first.body()).get("accepted").asInt()).isEqualTo(8);
        assertThat(json(first.body()).get("duplicate").asBoolean()).isFalse();
        JsonNode stored = observations("");

        // The agent's answer was lost, so it sends the same line again.
        HttpResponse<String> again = client.postJson("/v1/observations", reporter, LINE);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(json(again.body())).isEqualTo(json("{\"accepted\":0,\"refused\":0,\"duplicate\":true}"));
        assertThat(observations("")).isEqualTo(stored);
        assertThat(stored.get("versions").get(0).get("lines").asLong()).isEqualTo(1);
        assertThat(client.get("/metrics", admin).body())
                .contains("warden_observations_total 1\n")
                .contains("warden_observations_duplicate_total 1\n");

        // A line of an agent before ids is merged each time it is posted.
        String withoutId = LINE.replace("\"id\":\"o-1\",", "");
        assertThat(client.postJson("/v1/observations", reporter, withoutId).statusCode())
                .isEqualTo(202);
        assertThat(client.postJson("/v1/observations", reporter, withoutId).statusCode())
                .isEqualTo(202);
        assertThat(observations("").get("versions").get(0).get("lines").asLong())
                .isEqualTo(3);
    }

    @Test
    void aReporterMayObserveOnlyItsFunctionAndOnlyReadersRead() {
        String other = client.reporterToken(admin, "billing");
        assertThat(error(client.postJson("/v1/observations", other, LINE), 403))
                .contains("may not report for function \"orders\"");
        assertThat(error(client.get("/v1/functions/orders/observations", reporter), 403))
                .contains("needs an admin or a viewer");
        assertNothingStored();
    }

    String refused(String body) {
        return error(client.postJson("/v1/observations", reporter, body), 400);
    }

    @Test
    void aBadLineIsRefusedWholeWithAPreciseMessage() {
        assertThat(refused(LINE.replace("\"o-1\"", "\"two words\"")))
                .isEqualTo("observation: \"id\" \"two words\" must be 1-128 printable ASCII characters");
        assertThat(refused(LINE.replace("\"o-1\"", "\"" + "x".repeat(129) + "\"")))
                .contains("must be 1-128 printable ASCII characters");
        assertThat(refused(LINE.replace("\"o-1\"", "17"))).contains("\"id\" must be a string");
        assertThat(refused(LINE.replace("\"port\":443", "\"port\":70000")))
                .startsWith("observation: ")
                .contains("70000");
        assertThat(refused(LINE.replace("\"count\":12", "\"count\":0"))).contains("count 0 is less than 1");
        assertThat(refused(LINE.replace("\"kind\":\"jndi\"", "\"kind\":\"x\""))).contains("unknown item kind \"x\"");
        assertThat(refused(LINE.replace("\"name\":\"java:comp/env/x\"", "\"nam\":\"x\"")))
                .contains("jndi item: name is missing");
        assertThat(refused(LINE.replace("2026-12-07T15:00:00Z", "yesterday"))).contains("yesterday");
        assertThat(refused(LINE.replace("$LATEST", "1#2")))
                .contains("\"functionVersion\" \"1#2\" is not a function version");
        assertThat(refused(LINE.replace("\"version\":1", "\"version\":2"))).contains("\"version\" must be 1");
        assertThat(refused("{\"version\":1,")).startsWith("observation: invalid JSON");
        assertThat(refused(LINE.replace("\"function\":\"orders\"", "\"function\":\"or ders\"")))
                .contains("function name \"or ders\" is not a Lambda function name");
        assertThat(refused(LINE.replace("/usr/bin/ldd", "x".repeat(ObservationRoutes.MAX_IDENTITY_CHARS + 1))))
                .contains("items[3] (process): its fields are")
                .contains("more than the 8192 stored");
        assertNothingStored();
    }

    @Test
    void oversizedBodiesAreRefused() throws IOException {
        assertThat(client.postDeclaringLength(
                        "/v1/observations", reporter, ObservationRoutes.MAX_OBSERVATION_BYTES + 1L))
                .startsWith("HTTP/1.1 413")
                .contains("\"error\":\"payload_too_large\"");
        assertNothingStored();
    }

    @Test
    void aLineWithoutAVersionIsStoredAsUnversioned() {
        HttpResponse<String> response = client.postJson(
                "/v1/observations",
                reporter,
                "{\"warden\":\"observation\",\"version\":1,\"function\":\"orders\",\"time\":\"2026-12-07T15:00:00Z\",\"items\":"
                        + "[{\"kind\":\"dns\",\"name\":\"a.example\",\"count\":2}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(observations("").get("versions").get(0).get("version").asText())
                .isEqualTo(ObservationRoutes.NO_VERSION);
    }
}
