package io.warden.service.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;

/** The API's one JSON mapper, strict when reading: duplicate keys and trailing content are errors. */
public final class ApiJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private ApiJson() {}

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws ApiException 400 naming the first field of the object that is not allowed */
    public static void requireOnly(ObjectNode object, Set<String> allowed, String where) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(where + ": unknown field \"" + name + "\"; expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** The field's string value; null when absent and optional. @throws ApiException 400 when it is no string */
    public static String text(ObjectNode object, String field, boolean required, String where) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest(where + ": \"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(
                    where + ": \"" + field + "\" must be a string, not " + abbreviate(value.toString()));
        }
        return value.textValue();
    }

    /** A value for a message: the start of it when it is long. */
    public static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
