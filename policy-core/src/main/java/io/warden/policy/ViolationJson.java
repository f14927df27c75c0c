package io.warden.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The violation event as one line of JSON: only the fields that are set, in a fixed order, escaped so that any target
 * (quotes, newlines, control characters, unpaired surrogates) still gives one valid line.
 */
public final class ViolationJson {
    /** Longest line {@link #parse} accepts, in characters. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private ViolationJson() {
    }

    /** One JSON object with no newline inside (and none at the end). */
    public static String toJsonLine(Violation v) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("warden", Violation.KIND);
            string(json, "id", v.id());
            json.writeStringField("time", formatTime(v.time()));
            string(json, "function", v.function());
            json.writeStringField("category", v.category().jsonName());
            string(json, "operation", v.operation());
            string(json, "target", v.target());
            json.writeStringField("action", v.action().jsonName());
            string(json, "rule", v.rule());
            string(json, "caller", v.caller());
            json.writeNumberField("count", v.count());
            string(json, "requestId", v.requestId());
            string(json, "functionVersion", v.functionVersion());
            if (v.coldStart() != null) {
                json.writeBooleanField("coldStart", v.coldStart());
            }
            string(json, "phase", v.phase());
            if (v.mode() != null) {
                json.writeStringField("mode", v.mode().jsonName());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, wellFormed(value));
        }
    }

    /** The text with every unpaired surrogate replaced by U+FFFD, so it encodes to valid UTF-8; the same instance if none. */
    static String wellFormed(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(length).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2024-05-01T12:00:00.042Z}, without java.time's formatter machinery. */
    static String formatTime(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(24);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, t.getNano() / 1_000_000, 3).append('Z');
        return out.toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /**
     * Reads a line written by {@link #toJsonLine}. Fields it does not know are skipped, so older readers accept newer
     * events.
     *
     * @throws IllegalArgumentException when the line is not a violation event, naming the problem
     */
    public static Violation parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("violation line of " + line.length() + " characters is longer than "
                    + MAX_LINE_CHARS);
        }
        try (JsonParser json = Json.FACTORY.createParser(line)) {
            json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a violation line must be a JSON object");
            }
            Violation.Builder builder = Violation.builder();
            boolean isViolation = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "warden":
                        isViolation = Violation.KIND.equals(text(json, name));
                        break;
                    case "id":
                        builder.id(text(json, name));
                        break;
                    case "time":
                        builder.time(Instant.parse(text(json, name)));
                        break;
                    case "function":
                        builder.function(text(json, name));
                        break;
                    case "category":
                        builder.category(Category.fromJsonName(text(json, name)));
                        break;
                    case "operation":
                        builder.operation(text(json, name));
                        break;
                    case "target":
                        builder.target(text(json, name));
                        break;
                    case "action":
                        builder.action(Action.fromJsonName(text(json, name)));
                        break;
                    case "rule":
                        builder.rule(text(json, name));
                        break;
                    case "caller":
                        builder.caller(text(json, name));
                        break;
                    case "count":
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("\"count\" must be an integer, not " + json.getText());
                        }
                        builder.count(json.getIntValue());
                        break;
                    case "requestId":
                        builder.requestId(text(json, name));
                        break;
                    case "functionVersion":
                        builder.functionVersion(text(json, name));
                        break;
                    case "coldStart":
                        if (!value.isBoolean()) {
                            throw new IllegalArgumentException("\"coldStart\" must be true or false, not " + json.getText());
                        }
                        builder.coldStart(value == JsonToken.VALUE_TRUE);
                        break;
                    case "phase":
                        builder.phase(text(json, name));
                        break;
                    case "mode":
                        builder.mode(Mode.parse(text(json, name)));
                        break;
                    default:
                        json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new IllegalArgumentException("unexpected content after the violation object");
            }
            if (!isViolation) {
                throw new IllegalArgumentException("not a violation event: \"warden\" is not \"" + Violation.KIND + "\"");
            }
            return builder.build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid violation: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonParser json, String name) throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("\"" + name + "\" must be a string, not " + json.getText());
        }
        return json.getText();
    }
}
