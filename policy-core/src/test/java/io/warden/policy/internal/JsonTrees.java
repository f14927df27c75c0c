package io.warden.policy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plain trees (LinkedHashMap, ArrayList, String, BigInteger for integers, BigDecimal without trailing zeros for other
 * numbers, Boolean, null) read by {@link JsonReader} and by Jackson, to compare the two; and random trees to feed both.
 */
final class JsonTrees {
    /** Longest string the trees here use; well above anything generated. */
    static final int MAX_STRING_CHARS = 1 << 20;

    /** Jackson as strict as the reader: duplicates, trailing tokens, and the same nesting limit. */
    static final ObjectMapper STRICT_JACKSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(JsonReader.MAX_DEPTH)
                            .maxNumberLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                    DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** Accepted with a tree, or rejected with the reason. */
    record Outcome(boolean accepted, Object tree, String error) {
        static Outcome accepted(Object tree) {
            return new Outcome(true, tree, null);
        }

        static Outcome rejected(String error) {
            return new Outcome(false, null, error);
        }
    }

    private JsonTrees() {}

    static Outcome ours(String json) {
        try {
            return readTree(new JsonReader(json, MAX_STRING_CHARS));
        } catch (JsonException e) {
            return Outcome.rejected(e.pointer() + ": " + e.getMessage());
        }
    }

    /** Builds the tree from the reader's tokens, with a stack rather than recursion. */
    private static Outcome readTree(JsonReader reader) throws JsonException {
        ArrayDeque<Object> containers = new ArrayDeque<>();
        ArrayDeque<String> namesInParent = new ArrayDeque<>();
        String name = "";
        if (reader.next() == JsonReader.Token.END) {
            return Outcome.rejected("no value");
        }
        while (true) {
            Object value;
            switch (reader.token()) {
                case NAME -> {
                    name = reader.text();
                    reader.next();
                    continue;
                }
                case START_OBJECT, START_ARRAY -> {
                    containers.push(
                            reader.token() == JsonReader.Token.START_OBJECT
                                    ? new LinkedHashMap<String, Object>()
                                    : new ArrayList<>());
                    namesInParent.push(name);
                    reader.next();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    value = containers.pop();
                    name = namesInParent.pop();
                }
                case STRING -> value = reader.text();
                case INTEGER -> value = new BigInteger(reader.text());
                case NUMBER -> {
                    if (!fitsBigDecimal(reader.text())) {
                        return Outcome.rejected(
                                "number " + reader.text() + " does not fit a BigDecimal, as in Jackson");
                    }
                    value = new BigDecimal(reader.text()).stripTrailingZeros();
                }
                case TRUE -> value = Boolean.TRUE;
                case FALSE -> value = Boolean.FALSE;
                case NULL -> value = null;
                default -> throw new IllegalStateException("token " + reader.token() + " inside a value");
            }
            if (containers.isEmpty()) {
                if (reader.next() != JsonReader.Token.END) {
                    throw new IllegalStateException("next() returned " + reader.token() + " after the value");
                }
                return Outcome.accepted(value);
            }
            add(containers.peek(), name, value);
            reader.next();
        }
    }

    /** Jackson, reading numbers as BigDecimal, rejects those whose exponent BigDecimal cannot hold; the tree cannot either. */
    private static boolean fitsBigDecimal(String number) {
        try {
            new BigDecimal(number);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Object container, String name, Object value) {
        if (container instanceof Map) {
            ((Map<String, Object>) container).put(name, value);
        } else {
            ((List<Object>) container).add(value);
        }
    }

    static Outcome jackson(String json) {
        try {
            JsonNode node = STRICT_JACKSON.readTree(json);
            return node == null || node.isMissingNode() ? Outcome.rejected("no value") : Outcome.accepted(plain(node));
        } catch (JsonProcessingException e) {
            return Outcome.rejected(e.getOriginalMessage());
        } catch (NumberFormatException beyondBigDecimal) {
            return Outcome.rejected(beyondBigDecimal.getMessage());
        }
    }

    static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), plain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return node.isBoolean() ? (Object) node.booleanValue() : null;
    }

    /** Writes a plain tree of objects, arrays, strings, integers and booleans with {@link JsonWriter}. */
    static String write(Object tree) {
        JsonWriter out = new JsonWriter(64);
        write(out, tree);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonWriter out, Object tree) {
        if (tree instanceof Map) {
            out.startObject();
            for (Map.Entry<String, Object> member : ((Map<String, Object>) tree).entrySet()) {
                out.name(member.getKey());
                write(out, member.getValue());
            }
            out.endObject();
        } else if (tree instanceof List) {
            out.startArray();
            for (Object element : (List<Object>) tree) {
                write(out, element);
            }
            out.endArray();
        } else if (tree instanceof String text) {
            out.value(text);
        } else if (tree instanceof BigInteger number) {
            out.value(number.longValueExact());
        } else {
            out.value((Boolean) tree);
        }
    }

    /** Characters that strings are made of: plain, needing escapes, non-ASCII, surrogate pairs and lone surrogates. */
    private static final String[] STRING_PARTS = {
        "a",
        "Z",
        "0",
        " ",
        "/",
        "~",
        "\"",
        "\\",
        "\n",
        "\r",
        "\t",
        "\b",
        "\f",
        "\u0000",
        "\u001f",
        "\u007f",
        "é",
        "€",
        "\u2028",
        "\u2029",
        "\uFEFF",
        "\uFFFF",
        "\uD83D\uDE00",
        "\uD800",
        "\uDC00",
        "null",
        "true",
        "1e5",
        "{",
        "]",
        ",",
        ":"
    };

    /**
     * A random tree. With {@code writable}, only what {@link JsonWriter} writes (no null, integers that fit a long, no
     * other numbers); otherwise also null, big integers and decimals.
     */
    static Object randomTree(Random random, int depth, boolean writable) {
        int kind = random.nextInt(depth <= 0 ? 5 : 7);
        switch (kind) {
            case 0:
                return randomString(random);
            case 1:
                return BigInteger.valueOf(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(2000) - 1000);
            case 2:
                return random.nextBoolean();
            case 3:
                if (writable) {
                    return randomString(random);
                }
                return random.nextBoolean() ? null : new BigInteger(100, random).negate();
            case 4:
                if (writable) {
                    return BigInteger.valueOf(random.nextInt());
                }
                return new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(40) - 20)
                        .stripTrailingZeros();
            case 5: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomTree(random, depth - 1, writable));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), randomTree(random, depth - 1, writable));
                }
                return map;
            }
        }
    }

    static String randomString(Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            out.append(STRING_PARTS[random.nextInt(STRING_PARTS.length)]);
        }
        return out.toString();
    }

    /** The text with one character deleted, duplicated or replaced by a JSON-significant one. */
    static String mutate(Random random, String json) {
        if (json.isEmpty()) {
            return "{";
        }
        int at = random.nextInt(json.length());
        switch (random.nextInt(3)) {
            case 0:
                return json.substring(0, at) + json.substring(at + 1);
            case 1:
                return json.substring(0, at + 1) + json.substring(at);
            default:
                String significant = "{}[],:\"\\ 0-.eE+tfn/'\n";
                return json.substring(0, at)
                        + significant.charAt(random.nextInt(significant.length()))
                        + json.substring(at + 1);
        }
    }
}
