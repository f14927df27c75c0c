package io.warden.service.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suggestions from observations stored in a real SQLite store: what the function did and nothing else, every observed
 * operation allowed by the suggestion (checked with the agent's evaluator), the built-in deny set never, and no
 * narrowing when the observations are incomplete.
 */
@Tag("fast")
class ObservedPolicySuggestionTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final String IN_FORCE = """
            {"version": 1, "mode": "alert", "network": {"allow": ["legacy.example.com:443", "db.internal:5432"],
             "deny": ["203.0.113.0/24"]}, "files": {"read": ["/etc/app/**"]}, "processes": {"allow": ["/bin/sh"]}}""";

    @TempDir
    Path dataDirectory;

    SqliteStore store;

    @BeforeEach
    void open() throws Exception {
        store = SqliteStore.open(dataDirectory);
        store.putPolicy("orders", Policy.parse(IN_FORCE, "test").toJson(), T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void observe(String version, Instant time, long dropped, ObservedItem... items) {
        store.observations()
                .record(new Observation(
                        java.util.UUID.randomUUID().toString(),
                        "orders",
                        version,
                        null,
                        "eu-west-1",
                        "r-" + time,
                        time,
                        null,
                        dropped,
                        List.of(items)));
    }

    static final List<ObservedItem> WORKLOAD = List.of(
            new ObservedItem.Network("connect", "dynamodb.eu-west-1.amazonaws.com", "52.94.1.1", 443, 7, "X.ddb"),
            new ObservedItem.Network("connect", "db.internal", "10.0.0.7", 5432, 3, "X.db"),
            new ObservedItem.Network("connect", null, "10.1.2.3", 8080, 1, null),
            new ObservedItem.Network("connect", null, "169.254.169.254", 80, 1, "X.evil"),
            new ObservedItem.Dns("dynamodb.eu-west-1.amazonaws.com", 7, null),
            new ObservedItem.Dns("db.internal", 1, null),
            new ObservedItem.File("write", "/tmp/**", 12, "X.tmp"),
            new ObservedItem.File("read", "/var/task/config.json", 1, null),
            new ObservedItem.File("read", "/proc/**", 1, null),
            new ObservedItem.File("read", "/etc/app/settings.yaml", 2, null),
            new ObservedItem.File("stat", "/etc/passwd", 2, null),
            new ObservedItem.Process("/usr/bin/ldd", List.of("--version"), 1, null),
            new ObservedItem.Native("/tmp/libnetty4857291066433.so", 1, null),
            new ObservedItem.Jndi("ldap://directory.internal:389/cn=x", 1, null),
            new ObservedItem.Jndi("java:comp/env/x", 1, null),
            new ObservedItem.Deserialization("com.acme.Order", 1, null),
            new ObservedItem.Aws("dynamodb", "GetItem", "eu-west-1", Map.of("TableName", "orders"), null, 7, "X.ddb"));

    JsonNode suggest() {
        return PolicySuggestion.suggest(store, "orders", null);
    }

    static PolicyEvaluator evaluator(JsonNode suggestion) throws Exception {
        return PolicySuggestion.evaluator(Policy.parse(suggestion.get("policy").toString(), "suggestion"));
    }

    static List<String> list(JsonNode suggestion, String pointer) {
        List<String> entries = new ArrayList<>();
        suggestion.get("policy").at(pointer).forEach(e -> entries.add(e.asText()));
        return entries;
    }

    @Test
    void allowsWhatWasObservedAndNothingElseWithTheEvidenceAndTheDifference() throws Exception {
        observe("7", T0, 0, WORKLOAD.toArray(ObservedItem[]::new));
        observe("7", T0.plusSeconds(3600), 0, WORKLOAD.get(0));
        JsonNode body = suggest();

        assertThat(list(body, "/network/allow"))
                .containsExactlyInAnyOrder("dynamodb.eu-west-1.amazonaws.com:443", "db.internal:5432", "10.1.2.3:8080");
        assertThat(list(body, "/network/deny")).containsExactly("203.0.113.0/24");
        assertThat(list(body, "/files/write")).containsExactly("/tmp/**");
        assertThat(list(body, "/files/read")).containsExactly("/etc/app/settings.yaml");
        assertThat(list(body, "/processes/allow")).containsExactly("/usr/bin/ldd");
        assertThat(list(body, "/jndi/allow")).containsExactly("ldap://directory.internal:389/cn=x");
        assertThat(body.get("policy").at("/native/allowShipped").asBoolean()).isTrue();
        assertThat(body.get("policy").get("mode").asText()).isEqualTo("alert");

        PolicyEvaluator suggested = evaluator(body);
        assertThat(suggested
                        .connect("db.internal", InetAddress.getByName("10.0.0.7"), 5432)
                        .violation())
                .isFalse();
        assertThat(suggested
                        .connect(null, InetAddress.getByName("169.254.169.254"), 80)
                        .violation())
                .isTrue();
        assertThat(suggested.file(FileAccess.READ, "/proc/self/environ").violation())
                .isTrue();
        assertThat(suggested.file(FileAccess.WRITE, "/tmp/x/y.csv").violation()).isFalse();
        assertThat(suggested.file(FileAccess.READ, "/etc/app/other.yaml").violation())
                .isTrue();
        assertThat(suggested.process(List.of("/bin/sh", "-c", "id")).violation())
                .isTrue();

        assertThat(body.get("removed").toString())
                .contains("legacy.example.com:443", "/etc/app/**", "/bin/sh")
                .doesNotContain("db.internal");
        JsonNode dynamo = entry(body.get("added"), "dynamodb.eu-west-1.amazonaws.com:443");
        assertThat(dynamo.get("count").asLong()).isEqualTo(14);
        assertThat(dynamo.get("firstSeen").asText()).isEqualTo(T0.toString());
        assertThat(dynamo.get("lastSeen").asText())
                .isEqualTo(T0.plusSeconds(3600).toString());
        assertThat(dynamo.get("caller").asText()).isEqualTo("X.ddb");
        assertThat(dynamo.get("sources").toString()).isEqualTo("[\"observations\"]");
        assertThat(dynamo.at("/aws/calls/0/operation").asText()).isEqualTo("GetItem");
        assertThat(dynamo.at("/aws/distinctCalls").asInt()).isEqualTo(1);
        assertThat(entry(body.get("kept"), "db.internal:5432").get("count").asLong())
                .isEqualTo(3);

        JsonNode observed = body.get("observed");
        assertThat(observed.get("narrowed").asBoolean()).isTrue();
        assertThat(observed.get("basis").asText()).isEqualTo("observations and violations");
        assertThat(observed.at("/observations/lines").asLong()).isEqualTo(2);
        assertThat(observed.at("/observations/versions/0/version").asText()).isEqualTo("7");
        assertThat(observed.at("/observations/firstSeen").asText()).isEqualTo(T0.toString());
        assertThat(observed.at("/ignored/baseline").asLong()).isEqualTo(4);
        assertThat(observed.at("/ignored/builtInDeny").asLong()).isEqualTo(1);
        assertThat(observed.at("/ignored/notExpressible").asLong()).isEqualTo(1);
        assertThat(observed.get("warnings").toString()).contains("observed for less than 7 days", "fewer than 100");
    }

    @Test
    void anEntryAWiderOneAllowsIsLeftOutAndItsEvidenceKept() {
        observe(
                "7",
                T0,
                0,
                new ObservedItem.File("write", "/tmp/**", 2, null),
                new ObservedItem.File("read", "/tmp/**", 3, null),
                new ObservedItem.File("write", "/tmp/job-1234567890/out.csv", 1, null),
                new ObservedItem.File("read", "/tmpfiles/x", 1, null));
        JsonNode body = suggest();
        assertThat(list(body, "/files/write")).containsExactly("/tmp/**");
        assertThat(list(body, "/files/read")).containsExactly("/tmpfiles/x");
        assertThat(entry(body.get("added"), "/tmp/**").get("count").asLong()).isEqualTo(6);
    }

    @Test
    void incompleteObservationsNeverNarrowThePolicyInForce() {
        observe("7", T0, 3, WORKLOAD.get(0));
        JsonNode body = suggest();
        assertThat(list(body, "/network/allow"))
                .containsExactlyInAnyOrder(
                        "legacy.example.com:443", "db.internal:5432", "dynamodb.eu-west-1.amazonaws.com:443");
        assertThat(body.get("removed")).isEmpty();
        assertThat(body.get("observed").get("narrowed").asBoolean()).isFalse();
        assertThat(body.get("observed").get("warnings").toString()).contains("3 items dropped by the agent");
    }

    @Test
    void oneVersionsSuggestionRestsOnThatVersionAlone() {
        observe("7", T0, 0, WORKLOAD.get(0));
        observe("8", T0, 0, WORKLOAD.get(1));
        JsonNode body = PolicySuggestion.suggest(store, "orders", "8");
        assertThat(list(body, "/network/allow")).containsExactly("db.internal:5432");
        assertThat(body.get("observed").get("version").asText()).isEqualTo("8");
    }

    static JsonNode entry(JsonNode entries, String value) {
        for (JsonNode entry : entries) {
            if (entry.get("entry").asText().equals(value)) {
                return entry;
            }
        }
        throw new AssertionError(value + " not in " + entries);
    }
}
