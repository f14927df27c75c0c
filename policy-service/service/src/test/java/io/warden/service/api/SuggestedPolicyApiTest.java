package io.warden.service.api;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.learn.PolicySuggestion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/functions/{function}/suggested-policy} over real HTTP on the SQLite store: violations seeded through
 * {@code POST /v1/reports}, the suggestion parsed by the agent's own parser and every seeded operation evaluated
 * against it.
 */
class SuggestedPolicyApiTest extends ServiceOnLoopback {

    static final String IN_FORCE = """
            {"version": 1, "mode": "alert", "network": {"allow": ["db.internal:5432"]}, "files": {"read": ["/var/task/**"]}}""";

    final List<String> events = new ArrayList<>();

    void seed(Action action, Category category, String operation, String target, String rule, String requestId) {
        int n = events.size();
        events.add(ViolationJson.toJsonLine(Violation.builder()
                .id("e" + n)
                .function("orders")
                .time(Instant.parse("2026-05-01T12:00:00Z").plusSeconds(60L * n))
                .category(category)
                .operation(operation)
                .target(target)
                .action(action)
                .rule(rule)
                .caller("com.example.Handler.handle(Handler.java:" + n + ")")
                .requestId(requestId)
                .functionVersion("7")
                .build()));
    }

    void seedWorkload() {
        Action alerted = Action.ALERTED;
        seed(
                alerted,
                Category.NETWORK,
                "connect",
                "dynamodb.eu-west-1.amazonaws.com:443 (52.94.1.1:443)",
                "network.allow (no match)",
                "r1");
        seed(
                alerted,
                Category.NETWORK,
                "connect",
                "s3.eu-west-1.amazonaws.com:443 (52.92.1.1:443)",
                "network.allow (no match)",
                "r2");
        seed(alerted, Category.DNS, "resolve", "api.partner.example", "dns.allow (no match)", "r2");
        seed(alerted, Category.NETWORK, "connect", "10.1.2.3:8080", "network.allow (no match)", "r3");
        seed(alerted, Category.FILE, "write", "/tmp/upload-1234567890/data.csv", "files.write (no match)", "r3");
        seed(alerted, Category.FILE, "write", "/tmp/upload-9876543210/data.csv", "files.write (no match)", "r4");
        seed(alerted, Category.FILE, "read", "/etc/app.conf", "files.read (no match)", "r4");
        seed(
                alerted,
                Category.PROCESS,
                "exec",
                "ldd --version (program /usr/bin/ldd)",
                "processes.allow (no match)",
                "r4");
        seed(alerted, Category.JNDI, "lookup", "ldap://directory.internal:389/cn=x", "jndi.allow (no match)", "r4");
        seed(alerted, Category.NETWORK, "listen", "*:8080", "network.listen (no match)", "r4");
        // Never entries: blocked (it never happened), the built-in deny set, a deny-list match.
        seed(
                Action.BLOCKED,
                Category.NETWORK,
                "connect",
                "evil.example:443 (203.0.113.5:443)",
                "network.allow (no match)",
                "r5");
        seed(alerted, Category.NETWORK, "connect", "169.254.169.254:80", "builtin.deny metadata", "r5");
        seed(alerted, Category.FILE, "read", "/proc/self/environ", "builtin.deny /proc/**/environ", "r5");
        seed(alerted, Category.FILE, "read", "/home/user/.aws/credentials", "files.deny[0]", "r5");
        HttpResponse<String> stored =
                client.postJson("/v1/reports", reporter, ApiTest.report("orders", events.toArray(String[]::new)));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
    }

    JsonNode suggestion(String token) {
        HttpResponse<String> response = client.get("/v1/functions/orders/suggested-policy", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void allowsEverythingObservedAndStillDeniesBuiltInAndUnrelatedTargets() throws Exception {
        assertThat(client.putJson("/v1/policies/orders", admin, IN_FORCE).statusCode())
                .isEqualTo(200);
        seedWorkload();
        JsonNode body = suggestion(admin);

        Policy policy = Policy.parse(body.get("policy").toString(), "suggestion");
        PolicyEvaluator suggested = PolicySuggestion.evaluator(policy);
        // Everything the alert-mode violations show, and what the policy in force allowed.
        assertThat(suggested
                        .connect("dynamodb.eu-west-1.amazonaws.com", ip("52.94.1.1"), 443)
                        .violation())
                .isFalse();
        assertThat(suggested
                        .connect("s3.eu-west-1.amazonaws.com", ip("52.92.1.1"), 443)
                        .violation())
                .isFalse();
        assertThat(suggested.resolve("api.partner.example").violation()).isFalse();
        assertThat(suggested.resolve("dynamodb.eu-west-1.amazonaws.com").violation())
                .isFalse();
        assertThat(suggested.resolve("db.internal").violation())
                .as("names of network.allow still resolve")
                .isFalse();
        assertThat(suggested.connect("db.internal", ip("10.9.9.9"), 5432).violation())
                .isFalse();
        assertThat(suggested.connect(null, ip("10.1.2.3"), 8080).violation()).isFalse();
        assertThat(suggested
                        .file(FileAccess.WRITE, "/tmp/upload-1234567890/data.csv")
                        .violation())
                .isFalse();
        assertThat(suggested
                        .file(FileAccess.WRITE, "/tmp/upload-5555555555/data.csv")
                        .violation())
                .as("the next request's name")
                .isFalse();
        assertThat(suggested.file(FileAccess.READ, "/etc/app.conf").violation()).isFalse();
        assertThat(suggested.file(FileAccess.READ, "/var/task/app.jar").violation())
                .isFalse();
        assertThat(suggested
                        .process(List.of("ldd", "--version"), "/usr/bin/ldd", true)
                        .violation())
                .isFalse();
        assertThat(suggested.jndi("ldap://directory.internal:389/cn=x").violation())
                .isFalse();
        assertThat(suggested.listen(8080).violation()).isFalse();

        // The built-in deny set, what was blocked or denied, and anything unrelated stay violations.
        assertThat(suggested.connect(null, ip("169.254.169.254"), 80).violation())
                .isTrue();
        assertThat(suggested.connect(null, ip("169.254.170.2"), 80).violation()).isTrue();
        assertThat(suggested.file(FileAccess.READ, "/proc/self/environ").violation())
                .isTrue();
        assertThat(suggested
                        .file(FileAccess.READ, "/home/user/.aws/credentials")
                        .violation())
                .isTrue();
        assertThat(suggested.connect("evil.example", ip("203.0.113.5"), 443).violation())
                .isTrue();
        assertThat(suggested
                        .connect("unrelated.example", ip("198.51.100.7"), 443)
                        .violation())
                .isTrue();
        assertThat(suggested
                        .connect("dynamodb.us-east-1.amazonaws.com", ip("52.94.2.2"), 443)
                        .violation())
                .as("another region")
                .isTrue();
        assertThat(suggested.resolve("unrelated.example").violation()).isTrue();
        assertThat(suggested.file(FileAccess.WRITE, "/tmp/other").violation()).isTrue();
        assertThat(suggested.file(FileAccess.WRITE, "/etc/app.conf").violation())
                .isTrue();
        assertThat(suggested.listen(9090).violation()).isTrue();

        // The diff: the policy in force unchanged, each added entry with its evidence.
        assertThat(body.get("policyInForce").get("network").get("allow").get(0).asText())
                .isEqualTo("db.internal:5432");
        // Each AWS endpoint is its own entry: violations name no SDK call, so nothing widens it.
        JsonNode dynamo = entry(body, "/network/allow", "dynamodb.eu-west-1.amazonaws.com:443");
        assertThat(dynamo.get("count").asLong()).isEqualTo(1);
        assertThat(dynamo.get("firstSeen").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(dynamo.get("lastSeen").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(dynamo.get("caller").asText()).isEqualTo("com.example.Handler.handle(Handler.java:0)");
        assertThat(dynamo.get("exampleRule").asText()).isEqualTo("network.allow (no match)");
        assertThat(dynamo.at("/aws/distinctCalls").asInt()).isZero();
        assertThat(entry(body, "/network/allow", "s3.eu-west-1.amazonaws.com:443")
                        .get("lastSeen")
                        .asText())
                .isEqualTo("2026-05-01T12:01:00Z");
        assertThat(entry(body, "/files/write", "/tmp/upload-*/data.csv")
                        .get("count")
                        .asLong())
                .isEqualTo(2);
        assertThat(entry(body, "/processes/allow", "/usr/bin/ldd")
                        .get("operations")
                        .get(0)
                        .asText())
                .isEqualTo("exec");
        assertThat(entry(body, "/dns/allow", "db.internal").get("reason").asText())
                .contains("explicit dns.allow");
        assertThat(body.get("added").toString())
                .doesNotContain("db.internal:5432", "169.254", "environ", "evil.example", ".aws/credentials");

        JsonNode observed = body.get("observed");
        assertThat(observed.get("events").asLong()).isEqualTo(events.size());
        assertThat(observed.get("eventsUsed").asLong()).isEqualTo(10);
        assertThat(observed.get("invocations").asLong()).isEqualTo(5);
        assertThat(observed.get("versions").get(0).asText()).isEqualTo("7");
        assertThat(observed.get("firstSeen").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(observed.get("lastSeen").asText()).isEqualTo("2026-05-01T12:13:00Z");
        assertThat(observed.get("truncated").asBoolean()).isFalse();
        assertThat(observed.get("ignored")).isEqualTo(json("{\"blocked\":1,\"builtInDeny\":2,\"denyList\":1}"));
    }

    @Test
    void withoutAStoredPolicyStartsFromTheEmptyOne() throws Exception {
        seedWorkload();
        JsonNode body = suggestion(admin);
        assertThat(body.get("policyInForce").isNull()).isTrue();
        PolicyEvaluator suggested =
                PolicySuggestion.evaluator(Policy.parse(body.get("policy").toString(), "suggestion"));
        assertThat(suggested
                        .connect("s3.eu-west-1.amazonaws.com", ip("52.92.1.1"), 443)
                        .violation())
                .isFalse();
        assertThat(suggested.resolve("api.partner.example").violation()).isFalse();
        assertThat(suggested.connect("db.internal", ip("10.9.9.9"), 5432).violation())
                .isTrue();
        assertThat(suggested.connect(null, ip("169.254.169.254"), 80).violation())
                .isTrue();
    }

    @Test
    void aFunctionWithNothingObservedGetsItsPolicyInForce() {
        assertThat(client.putJson("/v1/policies/orders", admin, IN_FORCE).statusCode())
                .isEqualTo(200);
        JsonNode body = suggestion(admin);
        assertThat(body.get("policy")).isEqualTo(body.get("policyInForce"));
        assertThat(body.get("added")).isEmpty();
        assertThat(body.get("observed").get("events").asLong()).isZero();
    }

    @Test
    void viewersMayReadItReportersMayNotAndBadNamesAreRefused() {
        HttpResponse<String> minted = client.postJson("/v1/tokens", admin, "{\"role\":\"viewer\"}");
        String viewer = json(minted.body()).get("token").asText();
        assertThat(suggestion(viewer).has("policy")).isTrue();
        assertThat(client.get("/v1/functions/orders/suggested-policy", reporter).statusCode())
                .isEqualTo(403);
        assertThat(client.get("/v1/functions/orders/suggested-policy", null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> bad = client.get("/v1/functions/or%20ders/suggested-policy", admin);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body()).get("message").asText()).contains("not a Lambda function name");
    }

    static JsonNode entry(JsonNode body, String list, String value) {
        for (JsonNode added : body.get("added")) {
            if (added.get("list").asText().equals(list)
                    && added.get("entry").asText().equals(value)) {
                return added;
            }
        }
        throw new AssertionError("no added entry " + list + " " + value + " in " + body.get("added"));
    }
}
