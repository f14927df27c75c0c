package io.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.FixtureFolder;
import io.warden.policy.internal.JsonTrees.Outcome;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JsonReader} against strict Jackson ({@link JsonTrees#STRICT_JACKSON}): on every document of {@code json/accept}
 * and {@code json/reject}, and on generated documents and mutations of them, both accept exactly the same documents and
 * read the same tree. {@code json/reject/expectations.tsv} holds, per rejected fixture, the pointer, line:column and a
 * fragment of our problem. And {@link JsonWriter} round-trips through Jackson both ways.
 */
@Tag("fast")
class JsonReaderDifferentialTest {

    private static final FixtureFolder FIXTURES = new FixtureFolder("/json");
    /** Fixed, so that a failure repeats. */
    private static final long SEED = 20_240_501L;

    private static final int GENERATED_TREES = 1500;
    private static final int MUTATIONS_PER_TREE = 3;

    static Stream<String> acceptFixtures() throws IOException, URISyntaxException {
        return FIXTURES.fixtures("accept").stream();
    }

    static Stream<String> rejectFixtures() throws IOException, URISyntaxException {
        return FIXTURES.fixtures("reject").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptFixtures")
    void acceptsWhatJacksonAcceptsWithTheSameTree(String name) throws Exception {
        String json = FIXTURES.read("accept", name);

        Outcome ours = JsonTrees.ours(json);
        Outcome jackson = JsonTrees.jackson(json);

        assertThat(jackson.accepted())
                .as("Jackson accepts %s: %s", name, jackson.error())
                .isTrue();
        assertThat(ours.accepted()).as("we accept %s: %s", name, ours.error()).isTrue();
        assertSameTree(ours, jackson, json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectFixtures")
    void rejectsWhatJacksonRejectsAtTheExpectedPlace(String name) throws Exception {
        String[] expected = FIXTURES.expectations("reject").get(name);
        assertThat(expected).as("row for %s in expectations.tsv", name).isNotNull();
        String json = FIXTURES.read("reject", name);

        Outcome jackson = JsonTrees.jackson(json);
        String[] ours = rejection(json);

        assertThat(jackson.accepted()).as("Jackson rejects %s", name).isFalse();
        assertThat(ours).as("we reject %s", name).isNotNull();
        assertThat(ours[0]).as("pointer").isEqualTo(expected[1]);
        assertThat(ours[1]).as("line:column").isEqualTo(expected[2]);
        assertThat(ours[2]).contains(expected[3]);
    }

    @Test
    void expectationsListEveryRejectedFixtureExactlyOnce() throws Exception {
        assertThat(FIXTURES.expectations("reject").keySet())
                .containsExactlyInAnyOrderElementsOf(FIXTURES.fixtures("reject"));
        assertThat(FIXTURES.fixtures("accept")).hasSizeGreaterThanOrEqualTo(15);
        assertThat(FIXTURES.fixtures("reject")).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void generatedDocumentsAndTheirMutationsAreReadAsByJackson() throws Exception {
        Random random = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < GENERATED_TREES; i++) {
            String json = JsonTrees.STRICT_JACKSON.writeValueAsString(JsonTrees.randomTree(random, 4, false));
            for (int m = 0; m <= MUTATIONS_PER_TREE; m++) {
                String document = m == 0 ? json : JsonTrees.mutate(random, json);
                Outcome ours = JsonTrees.ours(document);
                Outcome jackson = JsonTrees.jackson(document);
                assertThat(ours.accepted())
                        .as(
                                "we accept %s as Jackson does (ours: %s; Jackson: %s)",
                                document, ours.error(), jackson.error())
                        .isEqualTo(jackson.accepted());
                if (ours.accepted()) {
                    assertSameTree(ours, jackson, document);
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        assertThat(accepted).as("accepted documents").isGreaterThan(GENERATED_TREES);
        assertThat(rejected).as("rejected mutations").isGreaterThan(GENERATED_TREES);
    }

    @Test
    void nestingLimitIsJacksonsToo() {
        String atLimit = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        String beyond = "{\"a\":" + atLimit + "}";
        assertThat(JsonTrees.ours(atLimit).accepted()).isTrue();
        assertThat(JsonTrees.jackson(atLimit).accepted()).isTrue();
        assertThat(JsonTrees.ours(beyond).accepted()).isFalse();
        assertThat(JsonTrees.jackson(beyond).accepted()).isFalse();
    }

    @Test
    void writerOutputReadsBackTheSameInJacksonAndJacksonOutputInOurs() throws Exception {
        Random random = new Random(SEED);
        for (int i = 0; i < GENERATED_TREES; i++) {
            Object tree = JsonTrees.randomTree(random, 4, true);

            String ours = JsonTrees.write(tree);
            String jackson = JsonTrees.STRICT_JACKSON.writeValueAsString(tree);

            assertThat(JsonTrees.jackson(ours)).as("Jackson reading %s", ours).isEqualTo(Outcome.accepted(tree));
            assertThat(JsonTrees.ours(jackson)).as("we read %s", jackson).isEqualTo(Outcome.accepted(tree));
            assertThat(ours).as("one line of valid UTF-8").doesNotContain("\n", "\r", "\u2028", "\u2029");
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(ours))
                    .as("encodable %s", ours)
                    .isTrue();
        }
    }

    private static void assertSameTree(Outcome ours, Outcome jackson, String json) {
        assertThat(ours.tree()).as("tree of %s", json).isEqualTo(jackson.tree());
        assertThat(String.valueOf(ours.tree()))
                .as("member order of %s", json)
                .isEqualTo(String.valueOf(jackson.tree()));
    }

    /**
     * Where and why we reject: pointer, line:column and problem; for input that is only whitespace (for which the reader
     * returns {@link JsonReader.Token#END} and leaves the message to its caller) "", "-" and "no value".
     */
    private static String[] rejection(String json) {
        JsonReader reader = new JsonReader(json, JsonTrees.MAX_STRING_CHARS);
        try {
            if (reader.next() == JsonReader.Token.END) {
                return new String[] {"", "-", "no value"};
            }
            while (reader.next() != JsonReader.Token.END) {
                assertThat(reader.token()).isNotNull();
            }
            return null;
        } catch (JsonException e) {
            assertThat(e.getMessage()).isEqualTo(e.problem() + " (line " + e.line() + ", column " + e.column() + ")");
            return new String[] {e.pointer(), e.line() + ":" + e.column(), e.problem()};
        }
    }
}
