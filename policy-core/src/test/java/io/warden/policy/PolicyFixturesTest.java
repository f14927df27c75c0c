package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per policy fixture: {@link Policy#parse} accepts {@code policies/valid/*.json} and rejects
 * {@code policies/invalid/*.json} at the expected JSON pointer, and the JSON Schema agrees. {@code invalid/expectations.tsv}
 * holds, per invalid fixture, the pointer, a fragment of the problem and whether the schema rejects it too ("rejects")
 * or cannot express the rule and accepts it ("accepts": CIDR host bits, all-numeric names, IPv6 group counts, duplicate
 * keys).
 */
@Tag("fast")
class PolicyFixturesTest {

    private static final FixtureFolder FIXTURES = new FixtureFolder("/policies");
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Policy.class.getResourceAsStream("policy.schema.json")) {
            assertThat(in).as("policy.schema.json beside Policy").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    static Stream<String> validFixtures() throws IOException, URISyntaxException {
        return FIXTURES.fixtures("valid").stream();
    }

    static Stream<String> invalidFixtures() throws IOException, URISyntaxException {
        return FIXTURES.fixtures("invalid").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void validPolicyIsAcceptedByParserAndSchema(String name) throws Exception {
        String json = FIXTURES.read("valid", name);

        Policy policy = Policy.parse(json, name);

        assertThat(schemaErrors(json)).as("schema errors").isEmpty();
        String canonical = policy.toJson();
        assertThat(Policy.parse(canonical, "canonical").toJson()).isEqualTo(canonical);
        assertThat(schemaErrors(canonical))
                .as("schema errors of the canonical form")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void invalidPolicyIsRejectedAtItsPointer(String name) throws Exception {
        String[] expected = FIXTURES.expectations("invalid").get(name);
        assertThat(expected).as("row for %s in expectations.tsv", name).isNotNull();
        String json = FIXTURES.read("invalid", name);

        PolicyException error =
                catchThrowableOfType(PolicyException.class, () -> Policy.parse(json, "fixture " + name));

        assertThat(error).as("parse of %s", name).isNotNull();
        assertThat(error.source()).isEqualTo("fixture " + name);
        assertThat(error.pointer()).isEqualTo(expected[1]);
        assertThat(error.problem()).contains(expected[3]);
        assertThat(error.getMessage()).isEqualTo("fixture " + name + ": " + expected[1] + ": " + error.problem());
        boolean schemaRejects = expected[2].equals("rejects");
        assertThat(schemaRejects(json))
                .as("schema rejects %s (expectations.tsv says %s)", name, expected[2])
                .isEqualTo(schemaRejects);
    }

    @Test
    void expectationsListEveryInvalidFixtureExactlyOnce() throws Exception {
        assertThat(FIXTURES.expectations("invalid").keySet())
                .containsExactlyInAnyOrderElementsOf(FIXTURES.fixtures("invalid"));
        assertThat(FIXTURES.fixtures("valid")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(FIXTURES.fixtures("invalid")).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void schemaRejectsWhatEveryFixtureSectionForbids() {
        assertThatThrownBy(() -> Policy.parse("{\"version\":1,\"files\":{\"read\":[\"/a//b\"]}}", "t"))
                .hasMessageContaining("empty path segment");
        assertThat(schemaRejects("{\"version\":1,\"files\":{\"read\":[\"/a//b\"]}}"))
                .isTrue();
    }

    /**
     * Trailing content makes a document unreadable, as for the parser. Duplicate keys are left to the parser: JSON
     * Schema validates the object a reader made of them (expectations.tsv marks that case "accepts").
     */
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static Set<ValidationMessage> schemaErrors(String json) {
        try {
            return schema.validate(STRICT_JSON.readTree(json));
        } catch (JsonProcessingException unreadable) {
            throw new IllegalArgumentException(unreadable);
        }
    }

    /** Unreadable JSON counts as rejected by the schema. */
    private static boolean schemaRejects(String json) {
        try {
            return !schemaErrors(json).isEmpty();
        } catch (RuntimeException unreadable) {
            return true;
        }
    }
}
