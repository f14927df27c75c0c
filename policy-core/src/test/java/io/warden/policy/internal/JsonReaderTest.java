package io.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.warden.policy.internal.JsonReader.Token;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the fixtures do not show: the token API, limits, pointers with escapes, and the writer's exact escapes. */
@Tag("fast")
class JsonReaderTest {
    @Test
    void tokensCarryTextAndTellIntegersFromOtherNumbers() throws JsonException {
        JsonReader reader = new JsonReader("{\"n\":[-0,1.50,2e3,true,null,\"\\uD800x\"]}", 100);

        assertThat(reader.next()).isEqualTo(Token.START_OBJECT);
        assertThat(reader.next()).isEqualTo(Token.NAME);
        assertThat(reader.text()).isEqualTo("n");
        assertThat(reader.next()).isEqualTo(Token.START_ARRAY);
        assertThat(reader.pointer()).isEqualTo("/n");
        assertThat(reader.next()).isEqualTo(Token.INTEGER);
        assertThat(reader.text()).isEqualTo("-0");
        assertThat(reader.next()).isEqualTo(Token.NUMBER);
        assertThat(reader.text()).isEqualTo("1.50");
        assertThat(reader.next()).isEqualTo(Token.NUMBER);
        assertThat(reader.pointer()).isEqualTo("/n/2");
        assertThat(reader.next()).isEqualTo(Token.TRUE);
        assertThat(reader.next()).isEqualTo(Token.NULL);
        assertThat(reader.next()).isEqualTo(Token.STRING);
        assertThat(reader.text()).as("an escaped lone surrogate is kept").isEqualTo("\uD800x");
        assertThat(reader.describe()).isEqualTo("\"\uD800x\"");
        assertThat(reader.next()).isEqualTo(Token.END_ARRAY);
        assertThat(reader.pointer()).isEqualTo("/n");
        assertThat(reader.next()).isEqualTo(Token.END_OBJECT);
        assertThat(reader.next()).isEqualTo(Token.END);
        assertThat(reader.next()).as("END again").isEqualTo(Token.END);
    }

    @Test
    void pointerEscapesTildeAndSlashInNames() throws JsonException {
        JsonReader reader = new JsonReader("{\"a/b~c\":{\"\":[1]}}", 100);
        for (int i = 0; i < 6; i++) {
            reader.next();
        }
        assertThat(reader.token()).isEqualTo(Token.INTEGER);
        assertThat(reader.pointer()).isEqualTo("/a~1b~0c//0");
    }

    @Test
    void stringsLongerThanTheLimitAreRejectedWithTheirLength() {
        JsonException error =
                catchThrowableOfType(JsonException.class, () -> readAll(new JsonReader("[\"abcd\",\"ab\\ncde\"]", 4)));

        assertThat(error.problem()).isEqualTo("string of 6 characters is longer than the limit of 4");
        assertThat(error.pointer()).isEqualTo("/1");
        assertThat(error.column()).as("at the opening quote").isEqualTo(9);
    }

    @Test
    void skipValueSkipsAWholeContainerAndNothingElse() throws JsonException {
        JsonReader reader = new JsonReader("{\"skip\":{\"a\":[1,{\"b\":[]}]},\"keep\":\"x\",\"n\":5}", 100);
        reader.next();
        reader.next();
        reader.next();
        reader.skipValue();
        assertThat(reader.token()).isEqualTo(Token.END_OBJECT);
        assertThat(reader.next()).isEqualTo(Token.NAME);
        assertThat(reader.text()).isEqualTo("keep");
        reader.next();
        reader.skipValue();
        assertThat(reader.token()).as("a scalar is already skipped").isEqualTo(Token.STRING);
        assertThat(reader.next()).isEqualTo(Token.NAME);
        assertThat(reader.text()).isEqualTo("n");
    }

    @Test
    void expectEndNamesWhatTheTrailingContentFollows() throws JsonException {
        JsonReader reader = new JsonReader("{}\n  {}", 100);
        reader.next();
        reader.next();

        JsonException error = catchThrowableOfType(JsonException.class, () -> reader.expectEnd("the policy object"));

        assertThat(error.getMessage()).isEqualTo("unexpected '{' after the policy object (line 2, column 3)");
        assertThat(error.pointer()).isEmpty();
    }

    @Test
    void longOffendingInputIsQuotedShortened() {
        JsonException error = catchThrowableOfType(
                JsonException.class, () -> readAll(new JsonReader("[" + "x".repeat(1000) + "]", 100)));
        assertThat(error.problem()).isEqualTo("expected a JSON value, found '" + "x".repeat(40) + "...'");
    }

    @Test
    void writerEscapesWhatMustBeAndNothingElse() {
        String written = new JsonWriter(16)
                .startObject()
                .name("k\"\\")
                .value("\n\r\t\b\f\u0000\u001f\u007f/é\u2028\u2029" + "\uD83D\uDE00\uD800|\uDC00")
                .name("n")
                .value(-5)
                .name("b")
                .value(false)
                .name("a")
                .startArray()
                .startArray()
                .endArray()
                .startObject()
                .endObject()
                .value("")
                .endArray()
                .endObject()
                .toString();

        assertThat(written)
                .isEqualTo("{\"k\\\"\\\\\":\"\\n\\r\\t\\b\\f\\u0000\\u001f\u007f/é\\u2028\\u2029"
                        + "\uD83D\uDE00\\ud800|\\udc00\",\"n\":-5,\"b\":false,\"a\":[[],{},\"\"]}");
    }

    private static void readAll(JsonReader reader) throws JsonException {
        while (reader.next() != Token.END) {
            assertThat(reader.token()).isNotNull();
        }
    }
}
