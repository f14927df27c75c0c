package io.warden.service.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.FileAccess;
import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.Violation;
import io.warden.service.store.Report;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suggestions from violations stored in a real SQLite store: how observed targets generalise. */
@Tag("fast")
class PolicySuggestionTest {

    @TempDir
    Path dataDirectory;

    SqliteStore store;
    final List<Violation> events = new ArrayList<>();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dataDirectory);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void seed(Category category, String operation, String target, String rule) {
        events.add(Violation.builder()
                .function("orders")
                .time(Instant.parse("2026-05-01T12:00:00Z").plusSeconds(events.size()))
                .category(category)
                .operation(operation)
                .target(target)
                .action(Action.ALERTED)
                .rule(rule)
                .requestId("r" + events.size())
                .build());
    }

    JsonNode suggest() {
        store.ingest(new Report("orders", "0.1.0", Mode.ALERT, Instant.now(), events));
        return PolicySuggestion.suggest(store, "orders", null);
    }

    static PolicyEvaluator evaluator(JsonNode suggestion) throws Exception {
        return PolicySuggestion.evaluator(Policy.parse(suggestion.get("policy").toString(), "suggestion"));
    }

    @Test
    void manyScratchNamesBecomeTheWholeScratchArea() throws Exception {
        for (int i = 0; i <= PolicySuggestion.MAX_TMP_ENTRIES; i++) {
            seed(Category.FILE, "write", "/tmp/kind" + (char) ('a' + i) + "/x", "files.write (no match)");
        }
        JsonNode body = suggest();
        assertThat(body.get("policy").get("files").get("write").toString()).isEqualTo("[\"/tmp/**\"]");
        assertThat(body.get("added").get(0).get("count").asLong()).isEqualTo(PolicySuggestion.MAX_TMP_ENTRIES + 1);
        assertThat(evaluator(body).file(FileAccess.WRITE, "/tmp/anything").violation())
                .isFalse();
    }

    @Test
    void aLibraryExtractedUnderARandomNameIsAllowedAsShippedNotByAGlob() throws Exception {
        seed(
                Category.NATIVE,
                "load",
                "/tmp/libnetty_transport_native_epoll_x86_644857291066433.so",
                "native.allow (no match)");
        seed(Category.NATIVE, "load", "/opt/lib/libfoo.so", "native.allow (no match)");
        JsonNode body = suggest();
        JsonNode nativeSection = body.get("policy").get("native");
        assertThat(nativeSection.get("allowShipped").asBoolean()).isTrue();
        assertThat(nativeSection.get("allow").toString()).isEqualTo("[\"/opt/lib/libfoo.so\"]");
        assertThat(evaluator(body).loadNative("/tmp/libevil.so").violation()).isTrue();
    }

    @Test
    void aConnectJudgedByItsAddressIsAllowedByItsAddress() throws Exception {
        seed(
                Category.NETWORK,
                "connect",
                "db.internal:5432 (10.0.0.7:5432) name not resolved",
                "network.allow (no match)");
        seed(Category.NETWORK, "connect", "[fd00::7]:443", "network.allow (no match)");
        JsonNode body = suggest();
        assertThat(body.get("policy").get("network").get("allow").toString())
                .isEqualTo("[\"10.0.0.7:5432\",\"[fd00::7]:443\"]");
        PolicyEvaluator suggested = evaluator(body);
        assertThat(suggested
                        .connect(null, InetAddress.getByName("10.0.0.7"), 5432)
                        .violation())
                .isFalse();
        assertThat(suggested
                        .connect(null, InetAddress.getByName("fd00::7"), 443)
                        .violation())
                .isFalse();
        assertThat(suggested
                        .connect(null, InetAddress.getByName("fd00:ec2::254"), 443)
                        .violation())
                .isTrue();
    }

    @Test
    void anAwsEndpointAViolationShowsIsAllowedAsThatHostAndFlaggedForReview() throws Exception {
        // Violations carry no SDK call: nothing says which service the host is, so no wider entry than the host.
        seed(
                Category.NETWORK,
                "connect",
                "orders-archive.s3.eu-west-1.amazonaws.com:443 (52.218.1.1:443)",
                "network.allow (no match)");
        JsonNode body = suggest();
        assertThat(body.get("policy").at("/network/allow").toString())
                .isEqualTo("[\"orders-archive.s3.eu-west-1.amazonaws.com:443\"]");
        assertThat(body.at("/added/0/aws/distinctCalls").asInt()).isZero();
        assertThat(body.at("/added/0/aws/note").asText()).contains("no observed AWS SDK call");
        PolicyEvaluator suggested = evaluator(body);
        InetAddress s3 = InetAddress.getByName("52.218.1.1");
        assertThat(suggested
                        .connect("orders-archive.s3.eu-west-1.amazonaws.com", s3, 443)
                        .violation())
                .isFalse();
        assertThat(suggested
                        .connect("attacker-drop.s3.eu-west-1.amazonaws.com", s3, 443)
                        .violation())
                .isTrue();
        assertThat(suggested
                        .connect("sts.eu-west-1.amazonaws.com", InetAddress.getByName("52.94.2.2"), 443)
                        .violation())
                .isTrue();
    }

    @Test
    void entriesTheParserRefusesAreNamedNotSilentlyDropped() throws Exception {
        // Reports come over the API: a relative path is no file entry the parser takes.
        seed(Category.FILE, "read", "data/orders.csv", "files.read (no match)");
        seed(Category.FILE, "read", "/srv/data", "files.read (no match)");
        JsonNode body = suggest();
        Policy.parse(body.get("policy").toString(), "suggestion");
        assertThat(body.get("policy").get("files").get("read").toString()).isEqualTo("[\"/srv/data\"]");
        assertThat(body.get("rejected")).hasSize(1);
        assertThat(body.get("rejected").get(0).get("entry").asText()).isEqualTo("data/orders.csv");
        assertThat(body.get("rejected").get(0).get("message").asText()).contains("/files/read/");
        assertThat(body.get("added")).hasSize(1);
    }

    @Test
    void perRequestNamesUnderTmpGeneralise() {
        assertThat(PolicySuggestion.tmpGlob("/tmp/report1234567890123.pdf")).isEqualTo("/tmp/report*.pdf");
        assertThat(PolicySuggestion.tmpGlob("/tmp/3f2b8c1e-9d4a-4e7b-8f0c-1a2b3c4d5e6f/in.json"))
                .isEqualTo("/tmp/*/in.json");
        assertThat(PolicySuggestion.tmpGlob("/tmp/upload-a1b2c3d4e5f6/in.json")).isEqualTo("/tmp/upload-*/in.json");
        assertThat(PolicySuggestion.tmpGlob("/tmp/cache/settings.json")).isEqualTo("/tmp/cache/settings.json");
        assertThat(PolicySuggestion.tmpGlob("/var/data/2024123456")).isEqualTo("/var/data/2024123456");
    }
}
