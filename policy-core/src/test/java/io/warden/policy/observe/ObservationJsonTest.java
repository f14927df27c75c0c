package io.warden.policy.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.warden.policy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObservationJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static JsonSchema schema;

    /** The example of the observation format as the service and the agent agreed on it, one item of every kind. */
    private static final String CONTRACT_EXAMPLE = "{\"warden\":\"observation\",\"version\":1,"
            + "\"id\":\"6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f\",\"function\":\"orders\","
            + "\"functionVersion\":\"$LATEST\",\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"requestId\":\"r-1\","
            + "\"time\":\"2026-12-07T15:00:00Z\",\"mode\":\"alert\",\"dropped\":0,\"items\":["
            + "{\"kind\":\"network\",\"host\":\"orders.example.com\",\"address\":\"10.0.0.5\",\"port\":443,\"count\":3,"
            + "\"caller\":\"com.acme.X.y\"},"
            + "{\"kind\":\"dns\",\"name\":\"orders.example.com\",\"count\":1},"
            + "{\"kind\":\"file\",\"operation\":\"write\",\"path\":\"/tmp/**\",\"count\":12},"
            + "{\"kind\":\"process\",\"program\":\"/usr/bin/ldd\",\"args\":[\"--version\"],\"count\":1},"
            + "{\"kind\":\"native\",\"path\":\"/opt/lib/libx.so\",\"count\":1},"
            + "{\"kind\":\"jndi\",\"name\":\"java:comp/env/x\",\"count\":1},"
            + "{\"kind\":\"deserialization\",\"class\":\"com.acme.Order\",\"count\":1},"
            + "{\"kind\":\"aws\",\"service\":\"dynamodb\",\"operation\":\"GetItem\",\"region\":\"eu-west-1\","
            + "\"resources\":{\"TableName\":\"orders\"},\"count\":5,\"error\":null}]}";

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Observation.class.getResourceAsStream("observation.schema.json")) {
            assertThat(in).as("observation.schema.json beside Observation").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    private static Set<ValidationMessage> schemaErrors(String json) throws IOException {
        return schema.validate(JACKSON.readTree(json));
    }

    private static Observation everyKind() {
        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("Key", "orders/2026/");
        resources.put("Bucket", "invoices");
        return new Observation(
                "3b0d8a52-58f4-4c0e-a7f5-1f6a2f1d9c11",
                "orders",
                "7",
                "123456789012",
                "eu-west-1",
                "req-1",
                Instant.parse("2026-12-07T15:00:00.123456Z"),
                Mode.ALERT,
                4,
                List.of(
                        new ObservedItem.Network(
                                "connect", "db.internal", "10.0.0.5", 5432, 3, "com.acme.Db.open(Db.java:12)"),
                        new ObservedItem.Network("send", null, "192.0.2.1", 53, 1, null),
                        new ObservedItem.Dns("db.internal", 1, null),
                        new ObservedItem.File("write", "/tmp/**", 12, "com.acme.Cache.put(Cache.java:3)"),
                        new ObservedItem.Process("/usr/bin/ldd", List.of("--version"), 1, null),
                        new ObservedItem.Native("/opt/lib/libx.so", 1, null),
                        new ObservedItem.Jndi("java:comp/env/x", 1, null),
                        new ObservedItem.Deserialization("com.acme.Order", 2, null),
                        new ObservedItem.Aws("s3", "PutObject", "eu-west-1", resources, "AccessDenied", 5, null)));
    }

    @Test
    void everyKindRoundTripsAndTheLineIsValidAgainstTheSchema() throws IOException {
        Observation observation = everyKind();
        String line = ObservationJson.toJsonLine(observation);

        assertThat(line).doesNotContain("\n").startsWith("{\"warden\":\"observation\",\"version\":1,");
        assertThat(schemaErrors(line)).isEmpty();
        Observation back = ObservationJson.parse(line);
        assertThat(back).isEqualTo(observation);
        assertThat(ObservationJson.toJsonLine(back)).isEqualTo(line);
        assertThat(back.time()).isEqualTo(Instant.parse("2026-12-07T15:00:00.123Z"));
        assertThat(line)
                .contains("\"time\":\"2026-12-07T15:00:00.123Z\"")
                .contains("\"resources\":{\"Bucket\":\"invoices\",\"Key\":\"orders/2026/\"}")
                .contains(
                        "{\"kind\":\"network\",\"operation\":\"send\",\"address\":\"192.0.2.1\",\"port\":53,\"count\":1}");
    }

    @Test
    void theContractExampleIsReadAndValid() throws IOException {
        assertThat(schemaErrors(CONTRACT_EXAMPLE)).isEmpty();
        Observation o = ObservationJson.parse(CONTRACT_EXAMPLE);

        assertThat(o.id()).isEqualTo("6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f");
        assertThat(o.function()).isEqualTo("orders");
        assertThat(o.functionVersion()).isEqualTo("$LATEST");
        assertThat(o.account()).isEqualTo("123456789012");
        assertThat(o.mode()).isEqualTo(Mode.ALERT);
        assertThat(o.items()).hasSize(8);
        assertThat(o.items().get(0))
                .isEqualTo(
                        new ObservedItem.Network("connect", "orders.example.com", "10.0.0.5", 443, 3, "com.acme.X.y"));
        assertThat(o.items().get(3)).isEqualTo(new ObservedItem.Process("/usr/bin/ldd", List.of("--version"), 1, null));
        assertThat(o.items().get(7))
                .isEqualTo(new ObservedItem.Aws(
                        "dynamodb", "GetItem", "eu-west-1", Map.of("TableName", "orders"), null, 5, null));
    }

    @Test
    void theIdComesAfterTheVersionAndALineOfAnAgentBeforeIdsIsReadWithNone() throws IOException {
        String line = ObservationJson.toJsonLine(everyKind());
        assertThat(line)
                .startsWith("{\"warden\":\"observation\",\"version\":1,"
                        + "\"id\":\"3b0d8a52-58f4-4c0e-a7f5-1f6a2f1d9c11\",\"function\":\"orders\",");

        String before = CONTRACT_EXAMPLE.replace("\"id\":\"6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f\",", "");
        assertThat(before).doesNotContain("\"id\"");
        Observation old = ObservationJson.parse(before);
        assertThat(old.id()).isNull();
        assertThat(old.items()).hasSize(8);
        assertThat(ObservationJson.toJsonLine(old)).doesNotContain("\"id\"");
        // What agents write now must carry one; the schema says so.
        assertThat(schemaErrors(before)).isNotEmpty();
        assertThat(schemaErrors(CONTRACT_EXAMPLE.replace("6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f", "two words")))
                .isNotEmpty();
        assertThat(everyKind().withId("other").id()).isEqualTo("other");
        assertThat(everyKind().withId("other").items()).isEqualTo(everyKind().items());
    }

    @Test
    void keysSayWhatTheItemIsAndNothingElse() {
        ObservedItem a = new ObservedItem.Aws("s3", "GetObject", "eu-west-1", Map.of("Bucket", "b"), null, 1, "x");
        ObservedItem sameOtherCount =
                new ObservedItem.Aws("s3", "GetObject", "eu-west-1", Map.of("Bucket", "b"), null, 9, "y");
        ObservedItem failed =
                new ObservedItem.Aws("s3", "GetObject", "eu-west-1", Map.of("Bucket", "b"), "AccessDenied", 1, null);
        assertThat(a.key()).isEqualTo(sameOtherCount.key()).isNotEqualTo(failed.key());
        assertThat(a.key()).isEqualTo("[\"aws\",\"s3\",\"GetObject\",\"eu-west-1\",{\"Bucket\":\"b\"},\"\"]");

        // Fields holding separators cannot make two different items share a key.
        assertThat(new ObservedItem.File("read", "/a\",\"b", 1, null).key())
                .isNotEqualTo(new ObservedItem.File("read\",\"/a", "b", 1, null).key());
        assertThat(new ObservedItem.Network("connect", null, "10.0.0.1", 443, 1, null).key())
                .isNotEqualTo(new ObservedItem.Network("connect", "h", "10.0.0.1", 443, 1, null).key());
        assertThat(new ObservedItem.Process("/bin/a", List.of("b c"), 1, null).key())
                .isNotEqualTo(new ObservedItem.Process("/bin/a", List.of("b", "c"), 1, null).key());
    }

    @Test
    void aNetworkItemWithoutOperationIsAConnect() {
        Observation o = ObservationJson.parse(
                "{\"warden\":\"observation\",\"version\":1,\"time\":\"2026-12-07T15:00:00Z\","
                        + "\"dropped\":0,\"items\":[{\"kind\":\"network\",\"address\":\"10.0.0.5\",\"port\":443,\"count\":1}]}");
        assertThat(((ObservedItem.Network) o.items().get(0)).operation()).isEqualTo("connect");
    }

    @Test
    void unknownFieldsAreSkipped() {
        Observation o = ObservationJson.parse("{\"warden\":\"observation\",\"version\":1,\"later\":{\"a\":[1]},"
                + "\"dropped\":0,\"items\":[{\"kind\":\"dns\",\"name\":\"a.example\",\"count\":1,\"later\":true}]}");
        assertThat(o.items()).containsExactly(new ObservedItem.Dns("a.example", 1, null));
    }

    @Test
    void invalidLinesAreRefusedNamingTheProblem() {
        String head = "{\"warden\":\"observation\",\"version\":1,\"dropped\":0,\"items\":[";
        assertRefused("[]", "must be a JSON object");
        assertRefused("{\"warden\":\"violation\",\"version\":1,\"items\":[]}", "not an observation");
        assertRefused("{\"warden\":\"observation\",\"version\":2,\"items\":[]}", "\"version\" must be 1, not 2");
        assertRefused("{\"warden\":\"observation\",\"version\":1}", "\"items\" is missing");
        assertRefused("{\"warden\":\"observation\",\"version\":1,\"dropped\":-1,\"items\":[]}", "dropped -1");
        assertRefused(head + "{\"kind\":\"telepathy\",\"count\":1}]}", "unknown item kind \"telepathy\"");
        assertRefused(head + "{\"count\":1}]}", "has no \"kind\"");
        assertRefused(
                head + "{\"kind\":\"network\",\"address\":\"10.0.0.1\",\"port\":70000,\"count\":1}]}",
                "must be 0-65535, not 70000");
        assertRefused(head + "{\"kind\":\"network\",\"address\":\"10.0.0.1\",\"count\":1}]}", "must be 0-65535");
        assertRefused(head + "{\"kind\":\"dns\",\"name\":\"a\",\"count\":0}]}", "count 0 is less than 1");
        assertRefused(head + "{\"kind\":\"dns\",\"count\":1}]}", "dns item: name is missing");
        assertRefused(head + "{\"kind\":\"dns\",\"name\":7,\"count\":1}]}", "\"name\" must be a string, not 7");
        assertRefused(head + "{\"kind\":\"dns\",\"name\":\"a\",\"count\":99999999999999999999}]}", "is out of range");
        assertRefused(
                head + "{\"kind\":\"aws\",\"service\":\"s3\",\"operation\":\"GetObject\",\"resources\":{\"Bucket\":1},"
                        + "\"count\":1}]}",
                "\"Bucket\" must be a string");
        assertRefused(head + "{\"kind\":\"dns\",\"name\":\"a\",\"count\":1}", "invalid JSON");
        assertRefused("{\"warden\":\"observation\",\"version\":1,\"time\":\"yesterday\",\"items\":[]}", "yesterday");
    }

    @Test
    void theErrorSaysWhereInTheLine() {
        assertThatThrownBy(() -> ObservationJson.parse(
                        "{\"warden\":\"observation\",\"version\":1,\"items\":[{\"kind\":\"dns\",\"name\":\"a\",\"count\":1},"
                                + "{\"kind\":\"dns\",\"name\":false,\"count\":1}]}"))
                .hasMessageContaining("at /items/1/name");
    }

    @Test
    void parsingIsBounded() {
        StringBuilder many = new StringBuilder("{\"warden\":\"observation\",\"version\":1,\"items\":[");
        for (int i = 0; i <= ObservationJson.MAX_ITEMS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"kind\":\"dns\",\"name\":\"a\",\"count\":1}");
        }
        assertRefused(many.append("]}").toString(), "more than 10000 items");

        List<String> args = new ArrayList<>();
        for (int i = 0; i <= ObservationJson.MAX_MEMBERS; i++) {
            args.add("\"a\"");
        }
        assertRefused(
                "{\"warden\":\"observation\",\"version\":1,\"items\":[{\"kind\":\"process\",\"program\":\"p\",\"args\":["
                        + String.join(",", args) + "],\"count\":1}]}",
                "more than 256 entries");
        assertRefused(" ".repeat(ObservationJson.MAX_LINE_CHARS + 1), "longer than");
    }

    @Test
    void hostileTextStillGivesOneValidLine() throws IOException {
        String path = "/tmp/\"q\"\n\u2028\uD800x";
        Observation o = new Observation(
                "id-1",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                List.of(new ObservedItem.File("read", path, 1, null)));
        String line = ObservationJson.toJsonLine(o);
        assertThat(line).doesNotContain("\n", "\u2028");
        assertThat(schemaErrors(line)).isEmpty();
        assertThat(((ObservedItem.File) ObservationJson.parse(line).items().get(0)).path())
                .isEqualTo(path);
    }

    @Test
    void theSchemaRefusesWhatTheParserRefuses() throws IOException {
        String head =
                "{\"warden\":\"observation\",\"version\":1,\"id\":\"i\",\"time\":\"2026-12-07T15:00:00Z\",\"dropped\":0,\"items\":[";
        assertThat(schemaErrors(head + "{\"kind\":\"network\",\"address\":\"a\",\"port\":70000,\"count\":1}]}"))
                .isNotEmpty();
        assertThat(schemaErrors(head + "{\"kind\":\"dns\",\"count\":1}]}")).isNotEmpty();
        assertThat(schemaErrors(head + "{\"kind\":\"aws\",\"service\":\"s3\",\"count\":1}]}"))
                .isNotEmpty();
        assertThat(schemaErrors(head + "{\"kind\":\"file\",\"operation\":\"read\",\"path\":\"/a\",\"count\":0}]}"))
                .isNotEmpty();
        assertThat(schemaErrors(head + "{\"kind\":\"telepathy\",\"count\":1}]}"))
                .isNotEmpty();
    }

    private static void assertRefused(String line, String message) {
        assertThatThrownBy(() -> ObservationJson.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
