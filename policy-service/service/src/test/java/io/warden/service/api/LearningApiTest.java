package io.warden.service.api;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.iam.IamPolicySuggestionTest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/learning} over real HTTP on the SQLite store: functions of the inventory with no observations, a short
 * and a long observed period, and incomplete observations, posted as agents post them.
 */
class LearningApiTest extends ServiceOnLoopback {

    void post(String token, String path, String body) {
        HttpResponse<String> posted = client.postJson(path, token, body);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    void inInventory(String token, String function) {
        post(token, "/v1/reports", "{\"function\":\"" + function + "\",\"events\":[]}");
    }

    static String line(String function, String version, Instant time, int dropped) {
        return "{\"warden\":\"observation\",\"version\":1,\"id\":\"" + function + "-" + time.toEpochMilli()
                + "\",\"function\":\"" + function + "\",\"functionVersion\":\""
                + version + "\",\"time\":\"" + time + "\",\"dropped\":" + dropped + ",\"items\":["
                + "{\"kind\":\"dns\",\"name\":\"db.internal\",\"count\":1}]}";
    }

    JsonNode learning(String token, int status) {
        HttpResponse<String> response = client.get("/v1/learning", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response.body());
    }

    static JsonNode of(JsonNode answer, String function) {
        for (JsonNode f : answer.get("functions")) {
            if (f.get("function").asText().equals(function)) {
                return f;
            }
        }
        throw new AssertionError(function + " is not in " + answer);
    }

    @Test
    void saysHowMuchWasObservedOfEachFunctionAndWhichAreReadyToTighten() {
        String any = client.reporterToken(admin, "*");
        // orders: the two lines of the IAM suggestion's tests, 48 hours apart, versions 1 and 2.
        inInventory(reporter, "orders");
        for (String l : IamPolicySuggestionTest.LINES) {
            post(reporter, "/v1/observations", l);
        }
        // billing: 120 lines over 8 days, version 3: enough of both.
        inInventory(any, "billing");
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 120; i++) {
            post(any, "/v1/observations", line("billing", "3", start.plusSeconds(i * 8 * 86_400L / 119), 0));
        }
        // audit: long and busy enough, but its agent dropped items.
        inInventory(any, "audit");
        for (int i = 0; i < 100; i++) {
            post(any, "/v1/observations", line("audit", "1", start.plusSeconds(i * 86_400L / 10), i == 50 ? 4 : 0));
        }
        // idle: in the inventory, never observed.
        inInventory(any, "idle");

        JsonNode answer = learning(admin, 200);
        assertThat(answer.get("functions"))
                .extracting(f -> f.get("function").asText())
                .containsExactly("audit", "billing", "idle", "orders");
        assertThat(answer.get("trustedAfter").get("days").asLong()).isEqualTo(7);
        assertThat(answer.get("trustedAfter").get("invocations").asLong()).isEqualTo(100);

        JsonNode orders = of(answer, "orders");
        assertThat(orders.get("lines").asLong()).isEqualTo(2);
        // Each line's items are distinct and each line is a version of its own: every item of every line is an item.
        long posted = IamPolicySuggestionTest.LINES.stream()
                .mapToLong(l -> json(l).get("items").size())
                .sum();
        assertThat(posted).isGreaterThan(2);
        assertThat(orders.get("items").asLong()).isEqualTo(posted);
        assertThat(orders.get("versions")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(orders.get("firstSeen").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(orders.get("lastSeen").asText()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(orders.get("spanSeconds").asLong()).isEqualTo(48 * 3_600);
        assertThat(orders.get("complete").asBoolean()).isTrue();
        assertThat(orders.get("ready").asBoolean()).isFalse();
        assertThat(orders.get("warnings"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "observed for less than 7 days: weekly or monthly paths may not have run yet",
                        "fewer than 100 invocations seen doing something: rare inputs may not have been seen");

        JsonNode billing = of(answer, "billing");
        assertThat(billing.get("lines").asLong()).isEqualTo(120);
        assertThat(billing.get("items").asLong()).isEqualTo(1);
        assertThat(billing.get("spanSeconds").asLong()).isEqualTo(8 * 86_400);
        assertThat(billing.get("warnings")).isEmpty();
        assertThat(billing.get("ready").asBoolean()).isTrue();

        JsonNode audit = of(answer, "audit");
        assertThat(audit.get("dropped").asLong()).isEqualTo(4);
        assertThat(audit.get("complete").asBoolean()).isFalse();
        assertThat(audit.get("ready").asBoolean()).isFalse();
        assertThat(audit.get("warnings"))
                .extracting(JsonNode::asText)
                .singleElement()
                .asString()
                .startsWith("observations are incomplete (4 items dropped by the agent");

        JsonNode idle = of(answer, "idle");
        assertThat(idle.get("lines").asLong()).isZero();
        assertThat(idle.get("versions")).isEmpty();
        assertThat(idle.get("firstSeen").isNull()).isTrue();
        assertThat(idle.get("ready").asBoolean()).isFalse();
        assertThat(idle.get("warnings").get(0).asText()).startsWith("nothing observed");
    }

    @Test
    void readersOnlyAndNoParameters() {
        assertThat(learning(admin, 200).get("functions")).isEmpty();
        assertThat(learning(reporter, 403).get("error").asText()).isEqualTo("forbidden");
        assertThat(learning("not-a-token", 401).get("error").asText()).isEqualTo("unauthorized");
        HttpResponse<String> unknown = client.get("/v1/learning?function=orders", admin);
        assertThat(unknown.statusCode()).isEqualTo(400);
    }
}
