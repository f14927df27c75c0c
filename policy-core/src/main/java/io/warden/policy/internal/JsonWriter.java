package io.warden.policy.internal;

/**
 * Writes compact JSON (no whitespace, so always one line) into a string; the writing counterpart of {@link JsonReader}.
 * Strings are escaped so that any Java string gives valid JSON that encodes to valid UTF-8: quotes, backslashes and
 * control characters, U+2028 and U+2029 (line breaks to JavaScript and to some log viewers), and lone surrogates, which
 * UTF-8 cannot encode, are written as escapes; {@link JsonReader} reads every string back unchanged.
 *
 * <p>The caller writes a well-formed sequence (a name before each member value, matching ends); this is not checked.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    /** Whether the next name or value follows another at the same level, and so needs a comma. */
    private boolean afterValue;

    public JsonWriter(int capacity) {
        out = new StringBuilder(capacity);
    }

    public JsonWriter startObject() {
        separate();
        out.append('{');
        afterValue = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        afterValue = true;
        return this;
    }

    public JsonWriter startArray() {
        separate();
        out.append('[');
        afterValue = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        afterValue = true;
        return this;
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterValue = false;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        quote(value);
        afterValue = true;
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        afterValue = true;
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        afterValue = true;
        return this;
    }

    /** The JSON written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterValue) {
            out.append(',');
        }
    }

    private void quote(String text) {
        out.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        escape(c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < length
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        escape(c);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private void escape(char c) {
        out.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
