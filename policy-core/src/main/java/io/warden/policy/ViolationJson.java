package io.warden.policy;

import io.warden.policy.internal.JsonException;
import io.warden.policy.internal.JsonReader;
import io.warden.policy.internal.JsonReader.Token;
import io.warden.policy.internal.JsonTime;
import io.warden.policy.internal.JsonWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The violation event as one line of JSON: only the fields that are set, in a fixed order, escaped so that any target
 * (quotes, newlines, control characters, unpaired surrogates) still gives one valid line.
 */
public final class ViolationJson {
    /** Longest line {@link #parse} accepts, in characters. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private ViolationJson() {}

    /** One JSON object with no newline inside (and none at the end). */
    public static String toJsonLine(Violation v) {
        JsonWriter json = new JsonWriter(256);
        json.startObject();
        json.name("warden").value(Violation.KIND);
        string(json, "id", v.id());
        json.name("time").value(JsonTime.format(v.time()));
        string(json, "function", v.function());
        json.name("category").value(v.category().jsonName());
        string(json, "operation", v.operation());
        string(json, "target", v.target());
        json.name("action").value(v.action().jsonName());
        string(json, "rule", v.rule());
        string(json, "caller", v.caller());
        json.name("count").value(v.count());
        string(json, "requestId", v.requestId());
        string(json, "functionVersion", v.functionVersion());
        if (v.coldStart() != null) {
            json.name("coldStart").value(v.coldStart().booleanValue());
        }
        string(json, "phase", v.phase());
        if (v.mode() != null) {
            json.name("mode").value(v.mode().jsonName());
        }
        return json.endObject().toString();
    }

    private static void string(JsonWriter json, String name, String value) {
        if (value != null) {
            json.name(name).value(wellFormed(value));
        }
    }

    /** The text with every unpaired surrogate replaced by U+FFFD, so it encodes to valid UTF-8; the same instance if none. */
    static String wellFormed(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean paired =
                    Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
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

    /**
     * Reads a line written by {@link #toJsonLine}. Fields it does not know are skipped, so older readers accept newer
     * events.
     *
     * @throws IllegalArgumentException when the line is not a violation event, naming the problem
     */
    public static Violation parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException(
                    "violation line of " + line.length() + " characters is longer than " + MAX_LINE_CHARS);
        }
        JsonReader json = new JsonReader(line, MAX_LINE_CHARS);
        try {
            if (json.next() != Token.START_OBJECT) {
                throw new IllegalArgumentException("a violation line must be a JSON object");
            }
            Violation.Builder builder = Violation.builder();
            boolean isViolation = false;
            while (json.next() == Token.NAME) {
                String name = json.text();
                Token value = json.next();
                if (value == Token.NULL) {
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
                        builder.count(count(json));
                        break;
                    case "requestId":
                        builder.requestId(text(json, name));
                        break;
                    case "functionVersion":
                        builder.functionVersion(text(json, name));
                        break;
                    case "coldStart":
                        if (value != Token.TRUE && value != Token.FALSE) {
                            throw new IllegalArgumentException(
                                    "\"coldStart\" must be true or false, not " + json.describe());
                        }
                        builder.coldStart(value == Token.TRUE);
                        break;
                    case "phase":
                        builder.phase(text(json, name));
                        break;
                    case "mode":
                        builder.mode(Mode.parse(text(json, name)));
                        break;
                    default:
                        json.skipValue();
                }
            }
            json.expectEnd("the violation object");
            if (!isViolation) {
                throw new IllegalArgumentException(
                        "not a violation event: \"warden\" is not \"" + Violation.KIND + "\"");
            }
            return builder.build();
        } catch (JsonException e) {
            String at = e.pointer().isEmpty() ? "" : " at " + e.pointer();
            throw new IllegalArgumentException("invalid JSON" + at + ": " + e.getMessage(), e);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid violation: " + e.getMessage(), e);
        }
    }

    private static int count(JsonReader json) {
        if (json.token() != Token.INTEGER) {
            throw new IllegalArgumentException("\"count\" must be an integer, not " + json.describe());
        }
        try {
            return Integer.parseInt(json.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"count\" " + json.text() + " is outside the range of an int");
        }
    }

    private static String text(JsonReader json, String name) {
        if (json.token() != Token.STRING) {
            throw new IllegalArgumentException("\"" + name + "\" must be a string, not " + json.describe());
        }
        return json.text();
    }
}
