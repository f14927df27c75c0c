package io.warden.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates hostile variants of valid API input from a seed: JSON objects with a field (sometimes two or three)
 * replaced by an extreme, malformed or wrongly typed value or removed, then sometimes cut short, a character replaced
 * or wrapped in deep nesting; and query strings of such values. The same seed gives the same input, so a failure names the seed that reproduces it.
 */
final class HostileInput {

    /** Times past what the service stores or its reader reads: far years, before 1970, invalid dates. */
    static final List<Object> TIMES = List.of(
            "+300000000-01-01T00:00:00Z",
            "-300000000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "+1000000000-12-31T23:59:59Z",
            "1969-12-31T23:59:59.999Z",
            "1970-01-01T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-01T12:00:00+01:00",
            "2024-05-01T12:00:00.123456789Z",
            "2024-05-01");
    /** Numbers at and past the edges of int, long and double. */
    static final List<Object> NUMBERS = List.of(
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            2_147_483_648L,
            -2_147_483_649L,
            new BigInteger("99999999999999999999999999"),
            -1,
            0,
            1e308,
            -0.0,
            0.5,
            Double.MIN_VALUE);
    /** Text and values of other types. */
    static final List<Object> OTHERS = List.of(
            "",
            " ",
            "\u0000",
            "\uFFFF",
            "\uD800",
            "é",
            "../../etc/passwd",
            "%00",
            "a".repeat(5_000),
            true,
            false,
            List.of(),
            Map.of(),
            List.of(List.of(List.of())),
            "network",
            "blocked",
            "block",
            "*");

    static final List<Object> NASTY =
            Stream.of(TIMES, NUMBERS, OTHERS).flatMap(List::stream).toList();

    private final SplittableRandom random;

    HostileInput(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Gives one of the fields (or a new one) a nasty value, or removes it. Half the time the value is of the field's own
     * kind (a far time for a time, an edge number for a number), the rest any nasty value.
     */
    void mutate(ObjectNode node, String... fields) {
        String field = fields[random.nextInt(fields.length)];
        if (random.nextInt(8) == 0) {
            node.remove(field);
            return;
        }
        JsonNode current = node.path(field);
        Object value = random.nextBoolean()
                ? value()
                : current.isNumber()
                        ? pick(NUMBERS)
                        : isTime(current.asText()) ? pick(TIMES) : current.isTextual() ? string(20) : value();
        node.set(field, ApiJson.MAPPER.valueToTree(value));
    }

    private static boolean isTime(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** How many changes to make: mostly one, so that the rest stays valid and the change is what is judged. */
    int changes() {
        return pick(List.of(0, 1, 1, 1, 1, 2, 3));
    }

    /** Mostly the JSON text as it is; else cut short, one character replaced, or nested up to 5,000 arrays deep. */
    String text(ObjectNode node) {
        String text = node.toString();
        return switch (random.nextInt(18)) {
            case 0 -> text.substring(0, random.nextInt(text.length() + 1));
            case 1 -> {
                int at = random.nextInt(text.length());
                yield text.substring(0, at) + character() + text.substring(at + 1);
            }
            case 2 -> {
                int depth = 1 + random.nextInt(5_000);
                yield "[".repeat(depth) + text + "]".repeat(depth);
            }
            default -> text;
        };
    }

    /** A query string of up to four name=value pairs from the names given and nasty values, or random text. */
    String query(String... names) {
        if (random.nextInt(6) == 0) {
            return string(60);
        }
        StringBuilder query = new StringBuilder();
        for (int pairs = random.nextInt(5); pairs > 0; pairs--) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            String name = random.nextInt(10) == 0 ? string(8) : names[random.nextInt(names.length)];
            query.append(name)
                    .append('=')
                    .append(
                            switch (random.nextInt(4)) {
                                case 0 -> String.valueOf(NASTY.get(random.nextInt(NASTY.size())));
                                case 1 -> string(40);
                                case 2 ->
                                    Base64.getUrlEncoder()
                                            .withoutPadding()
                                            .encodeToString(
                                                    (random.nextLong() + ":e1").getBytes(StandardCharsets.UTF_8));
                                default ->
                                    List.of("%", "%zz", "%ff%fe", "+", "%2B300000000-01-01T00:00:00Z", "1001", "-5")
                                            .get(random.nextInt(7));
                            });
        }
        return query.toString();
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private Object value() {
        return random.nextInt(3) == 0 ? string(20) : pick(NASTY);
    }

    private String string(int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            text.append(character());
        }
        return text.toString();
    }

    /** Mostly printable ASCII; also control characters, any BMP character and lone surrogates. */
    private char character() {
        return switch (random.nextInt(6)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> (char) random.nextInt(0x10000);
            default -> (char) (0x20 + random.nextInt(0x5f));
        };
    }
}
