package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.warden.policy.internal.JsonTime;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ViolationJsonTest {
    private static Violation.Builder minimal() {
        return Violation.builder()
                .id("e1")
                .time(Instant.parse("2024-05-01T12:00:00.042Z"))
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(Action.BLOCKED)
                .rule("network.allow (no match)");
    }

    @Test
    void writesOnlyTheFieldsThatAreSetInAFixedOrder() {
        assertThat(ViolationJson.toJsonLine(minimal().build()))
                .isEqualTo(
                        "{\"warden\":\"violation\",\"id\":\"e1\","
                                + "\"time\":\"2024-05-01T12:00:00.042Z\",\"category\":\"network\",\"operation\":\"connect\","
                                + "\"target\":\"evil.example:443\",\"action\":\"blocked\",\"rule\":\"network.allow (no match)\",\"count\":1}");
    }

    @Test
    void everyFieldRoundTrips() {
        Violation violation = minimal()
                .function("orders")
                .caller("com.example.Handler.handle(Handler.java:42)")
                .count(7)
                .requestId("req-1")
                .functionVersion("$LATEST")
                .coldStart(true)
                .phase(Violation.PHASE_INIT)
                .mode(Mode.BLOCK)
                .category(Category.FILE)
                .operation("read")
                .target("/proc/self/environ")
                .action(Action.ALERTED)
                .rule("builtin.deny /proc/**/environ")
                .build();

        String line = ViolationJson.toJsonLine(violation);
        Violation back = ViolationJson.parse(line);

        assertThat(ViolationJson.toJsonLine(back)).isEqualTo(line);
        assertThat(back).usingRecursiveComparison().isEqualTo(violation);
        assertThat(line).contains("\"coldStart\":true", "\"phase\":\"init\"", "\"mode\":\"block\"", "\"count\":7");
    }

    @Test
    void timeHasMillisecondPrecisionInUtc() {
        Violation violation =
                minimal().time(Instant.parse("2024-01-02T03:04:05.000999Z")).build();
        assertThat(ViolationJson.toJsonLine(violation)).contains("\"time\":\"2024-01-02T03:04:05.000Z\"");
        assertThat(JsonTime.format(Instant.parse("1999-12-31T23:59:59.999Z"))).isEqualTo("1999-12-31T23:59:59.999Z");
    }

    @Test
    void idAndTimeDefaultToAUniqueIdAndNow() {
        Instant before = Instant.now().minusMillis(1);
        Violation a = minimal().id(null).time(null).build();
        Violation b = minimal().id(null).time(null).build();
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(36);
        assertThat(a.time()).isAfter(before).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void hostileTargetsStillGiveOneValidLine() throws IOException {
        String target = "/tmp/\"quoted\"\nsecond line\r\t\u0000\u001f\\ \u2028 \uD83D\uDE00 lone:\uD800 \uDC00end";
        String line =
                ViolationJson.toJsonLine(minimal().target(target).caller("a\nb").build());

        assertThat(line).doesNotContain("\n", "\r", "\u0000");
        assertThat(line.chars().filter(c -> Character.isSurrogate((char) c)).count())
                .as("only the paired emoji surrogates")
                .isEqualTo(2);
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            parser.skipChildren();
            assertThat(parser.nextToken()).isNull();
        }
        assertThat(ViolationJson.parse(line).target())
                .isEqualTo("/tmp/\"quoted\"\nsecond line\r\t\u0000\u001f\\ \u2028 \uD83D\uDE00 lone:\uFFFD \uFFFDend");
        assertThat(ViolationJson.parse(line).caller()).isEqualTo("a\nb");
    }

    @Test
    void builderRejectsWhatIsNotAViolation() {
        assertThatThrownBy(() -> minimal().action(Action.ALLOWED).build()).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> minimal().count(0).build()).hasMessageContaining("count 0");
        assertThatThrownBy(() -> minimal().phase("startup").build()).hasMessageContaining("\"startup\"");
        assertThatThrownBy(() -> minimal().category(null).build()).hasMessageContaining("category is missing");
        assertThatThrownBy(() -> minimal().rule("").build()).hasMessageContaining("rule is missing");
    }

    @Test
    void parseRejectsOtherLinesWithTheReason() {
        String valid = ViolationJson.toJsonLine(minimal().build());
        assertThatThrownBy(() -> ViolationJson.parse("REPORT RequestId: x")).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> ViolationJson.parse(valid.replace("\"violation\"", "\"metric\"")))
                .hasMessageContaining("not a violation event");
        assertThatThrownBy(() -> ViolationJson.parse(valid.replace("\"blocked\"", "\"maybe\"")))
                .hasMessageContaining("\"maybe\"");
        assertThatThrownBy(() -> ViolationJson.parse(valid.replace("\"count\":1", "\"count\":\"1\"")))
                .hasMessageContaining("\"count\" must be an integer");
        assertThatThrownBy(() -> ViolationJson.parse(valid + "{}")).hasMessageContaining("after the violation object");
        assertThatThrownBy(() -> ViolationJson.parse(valid.replace("\"target\":\"evil.example:443\",", "")))
                .hasMessageContaining("target is missing");
    }

    @Test
    void parseSkipsFieldsItDoesNotKnow() {
        String line = ViolationJson.toJsonLine(minimal().build())
                .replace("{\"warden\"", "{\"future\":{\"nested\":[1,2]},\"warden\"");
        assertThat(ViolationJson.parse(line).target()).isEqualTo("evil.example:443");
    }

    @Test
    void decisionFillsCategoryActionAndRule() {
        Decision decision = new Decision(Action.ALERTED, Category.DNS, "dns.allow (no match)");
        Violation violation = minimal()
                .decision(decision)
                .operation("resolve")
                .target("x.example")
                .build();
        assertThat(violation.category()).isEqualTo(Category.DNS);
        assertThat(violation.action()).isEqualTo(Action.ALERTED);
        assertThat(violation.rule()).isEqualTo("dns.allow (no match)");
        assertThat(violation.toBuilder().count(3).build().count()).isEqualTo(3);
    }
}
