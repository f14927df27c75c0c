package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class PolicyTest {
    @Test
    void defaultsAreBlockAndSectionModesFollowTheTopLevel() throws PolicyException {
        Policy policy = Policy.parse("{\"version\":1}", "test");
        for (Category category : Category.values()) {
            assertThat(policy.mode(category)).isEqualTo(Mode.BLOCK);
        }
        Policy alert = Policy.parse("{\"version\":1,\"mode\":\"alert\",\"dns\":{\"mode\":\"off\"}}", "test");
        assertThat(alert.mode(Category.NETWORK)).isEqualTo(Mode.ALERT);
        assertThat(alert.mode(Category.DNS)).isEqualTo(Mode.OFF);
        assertThat(alert.denyMode(Category.DNS)).isEqualTo(Mode.OFF);
    }

    @Test
    void learningIsOnInAlertModeUnlessThePolicySaysOtherwise() throws PolicyException {
        assertThat(Policy.parse("{\"version\":1}", "t").learns()).isFalse();
        assertThat(Policy.parse("{\"version\":1,\"mode\":\"alert\"}", "t").learns())
                .isTrue();
        assertThat(Policy.parse("{\"version\":1,\"mode\":\"alert\",\"learn\":false}", "t")
                        .learns())
                .isFalse();
        Policy forced = Policy.parse("{\"version\":1,\"learn\":true}", "t");
        assertThat(forced.learns()).isTrue();
        assertThat(forced.toJson()).contains("\"learn\":true");
        assertThat(Policy.parse("{\"version\":1}", "t").toJson()).doesNotContain("learn");
        // WARDEN_MODE=alert turns learning on where the policy leaves it out, and never overrides what it says.
        assertThat(Policy.parse("{\"version\":1}", "t")
                        .withModeOverride(Mode.ALERT)
                        .learns())
                .isTrue();
        assertThat(Policy.parse("{\"version\":1,\"learn\":true}", "t")
                        .withModeOverride(Mode.BLOCK)
                        .learns())
                .isTrue();
    }

    @Test
    void canonicalJsonHasEveryEffectiveModeAndKeepsDnsDefaulted() throws PolicyException {
        Policy policy = Policy.parse(
                "{\"version\":1,\"mode\":\"alert\",\"network\":{\"denyMode\":\"block\","
                        + "\"allow\":[\"db.internal:5432\"]}}",
                "test");
        assertThat(policy.toJson())
                .isEqualTo("{\"version\":1,\"mode\":\"alert\","
                        + "\"network\":{\"mode\":\"alert\",\"denyMode\":\"block\",\"allow\":[\"db.internal:5432\"],\"deny\":[],"
                        + "\"listen\":[],\"accept\":[]},"
                        + "\"dns\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"deny\":[]},"
                        + "\"files\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"read\":[],\"write\":[],\"deny\":[]},"
                        + "\"processes\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"allow\":[],\"deny\":[],\"others\":[]},"
                        + "\"native\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"allowShipped\":false,\"allow\":[],\"deny\":[]},"
                        + "\"jndi\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"allow\":[],\"deny\":[]},"
                        + "\"deserialization\":{\"mode\":\"alert\",\"denyMode\":\"alert\",\"allow\":[],\"deny\":[]}}");
        assertThat(Policy.parse(policy.withModeOverride(Mode.OFF).toJson(), "canonical")
                        .mode(Category.FILE))
                .isEqualTo(Mode.OFF);
    }

    @Test
    void modeParsing() {
        assertThat(Mode.parse("alert")).isEqualTo(Mode.ALERT);
        assertThatThrownBy(() -> Mode.parse("BLOCK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"BLOCK\"");
    }

    @Test
    void oversizedInputIsRejectedBeforeParsing() {
        String huge = "{\"version\":1,\"files\":{\"read\":[\"/" + "a".repeat(PolicyParser.MAX_POLICY_CHARS) + "\"]}}";
        PolicyException error = catchThrowableOfType(PolicyException.class, () -> Policy.parse(huge, "WARDEN_POLICY"));
        assertThat(error.pointer()).isEmpty();
        assertThat(error.getMessage()).startsWith("WARDEN_POLICY: : the policy has " + huge.length() + " characters");
    }

    @Test
    void tooManyEntriesAreRejectedAtTheFirstOneBeyondTheLimit() {
        StringBuilder json = new StringBuilder("{\"version\":1,\"files\":{\"read\":[\"/a\"],\"write\":[");
        for (int i = 0; i < PolicyParser.MAX_ENTRIES; i++) {
            json.append(i == 0 ? "" : ",").append("\"/w").append(i).append('"');
        }
        json.append("]}}");
        PolicyException error = catchThrowableOfType(PolicyException.class, () -> Policy.parse(json.toString(), "f"));
        assertThat(error.pointer()).isEqualTo("/files/write/" + (PolicyParser.MAX_ENTRIES - 1));
        assertThat(error.problem()).contains("more than " + PolicyParser.MAX_ENTRIES + " list entries");
    }

    @Test
    void overlongEntryIsRejected() {
        String json = "{\"version\":1,\"dns\":{\"allow\":[\"" + "a".repeat(PolicyParser.MAX_ENTRY_CHARS + 1) + "\"]}}";
        PolicyException error = catchThrowableOfType(PolicyException.class, () -> Policy.parse(json, "f"));
        assertThat(error.pointer()).isEqualTo("/dns/allow/0");
        assertThat(error.problem()).contains((PolicyParser.MAX_ENTRY_CHARS + 1) + " characters");
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        PolicyException error = catchThrowableOfType(
                PolicyException.class,
                () -> Policy.parse("{\n  \"version\": 1,\n  \"mode\": blo\n}", "/var/task/warden-policy.json"));
        assertThat(error.getMessage())
                .startsWith("/var/task/warden-policy.json: /mode: ")
                .contains("line 3");
        PolicyException empty = catchThrowableOfType(PolicyException.class, () -> Policy.parse("", "WARDEN_POLICY"));
        assertThat(empty.problem()).contains("not the end of the input");
    }

    @Test
    void policyBytesThatAreNotUtf8AreRefusedNeverRepaired() throws PolicyException {
        assertThat(Policy.parse("{\"version\":1}".getBytes(StandardCharsets.UTF_8), "test")
                        .mode(Category.FILE))
                .isEqualTo(Mode.BLOCK);
        byte[][] malformed = {
            {(byte) 0xff},
            {(byte) 0x80}, // never a lead byte
            {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xe2, (byte) 0x82}, // truncated
        };
        for (byte[] bad : malformed) {
            byte[] policy = new byte[bad.length + 14];
            System.arraycopy("{\"version\":1}".getBytes(StandardCharsets.UTF_8), 0, policy, 0, 13);
            System.arraycopy(bad, 0, policy, 13, bad.length);
            policy[policy.length - 1] = ' ';
            assertThatThrownBy(() -> Policy.parse(policy, "test"))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("not valid UTF-8 (at byte 13)");
        }
    }

    /** The policy's UTF-8 check accepts exactly what the JDK's strict decoder accepts, and decodes it the same. */
    @Test
    void theUtf8CheckAgreesWithTheJdksStrictDecoder() throws PolicyException {
        Random random = new Random(15);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes around the boundaries of UTF-8's ranges, where a hand-written check goes wrong.
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            String strict;
            try {
                strict = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                strict = null;
            }
            if (strict == null) {
                assertThatThrownBy(() -> PolicyParser.decodeUtf8(bytes, "test"))
                        .as(Arrays.toString(bytes))
                        .isInstanceOf(PolicyException.class);
            } else {
                assertThat(PolicyParser.decodeUtf8(bytes, "test")).isEqualTo(strict);
            }
        }
    }
}
