package io.warden.policy.internal;

import java.util.HashSet;

/**
 * A strict RFC 8259 pull reader: {@link #next()} returns one token at a time, and any input that is not exactly one JSON
 * value fails with a {@link JsonException} naming the problem, its line and column and the JSON pointer of where it was.
 *
 * <p>Warden's own, not jackson-core, because the agent parses its policy while the protected function starts: this is a
 * few classes, loads nothing else, and uses no regular expressions, lambdas or java.nio.
 *
 * <p>Strict means: no comments, single quotes, unquoted names, trailing commas, NaN or Infinity, leading zeros, control
 * characters inside strings, escapes other than RFC 8259's, byte order mark, content after the value, or duplicate names
 * in an object. A lone surrogate written as an escape (D800-DFFF without its partner) is legal JSON and is returned as that lone
 * {@code char}, as are unescaped ones in the input string;
 * {@link JsonWriter} escapes them again, so text round-trips.
 *
 * <p>Bounded: memory is the current string plus a few words per open container; nesting is at most {@link #MAX_DEPTH}
 * and strings at most the {@code maxStringChars} the caller gives. The caller limits the input length (and so the time),
 * and counts whatever entries it keeps. Nothing here recurses.
 */
public final class JsonReader {
    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 64;
    /** Longest piece of offending input quoted in an error message. */
    private static final int MAX_QUOTED_CHARS = 40;

    /** What {@link #next()} returned. */
    public enum Token {
        START_OBJECT,
        END_OBJECT,
        START_ARRAY,
        END_ARRAY,
        NAME,
        STRING,
        /** A number without fraction or exponent. */
        INTEGER,
        /** A number with a fraction or an exponent. */
        NUMBER,
        TRUE,
        FALSE,
        NULL,
        /** The end of the input: after the value, or instead of it when the input is only whitespace. */
        END
    }

    /** What the reader expects next at the current level. */
    private enum State {
        FIRST_MEMBER,
        VALUE,
        AFTER_VALUE
    }

    private final String json;
    private final int length;
    private final int maxStringChars;
    private final StringBuilder buffer = new StringBuilder();

    private int pos;
    private int line = 1;
    private int lineStart;
    private State state = State.VALUE;
    /** Open containers; level 0 is the document. */
    private int depth;

    private final boolean[] isArray = new boolean[MAX_DEPTH + 1];
    /** Per open array, the index of the current element (-1 before the first). */
    private final int[] index = new int[MAX_DEPTH + 1];
    /** Per open object, the name of the current member (null before the first). */
    private final String[] name = new String[MAX_DEPTH + 1];
    /** Per open object, the names seen so far (null before the first). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final HashSet<String>[] names = new HashSet[MAX_DEPTH + 1];

    private Token token;
    private String text;

    /** @param maxStringChars longest string (value or name) accepted, after unescaping */
    public JsonReader(String json, int maxStringChars) {
        this.json = json;
        this.length = json.length();
        this.maxStringChars = maxStringChars;
    }

    /** Reads the next token; {@link Token#END} once the value is complete and only whitespace follows. */
    public Token next() throws JsonException {
        skipWhitespace();
        if (depth == 0) {
            if (state == State.AFTER_VALUE) {
                expectEnd("the JSON value");
                return token = Token.END;
            }
            if (pos == length) {
                return token = Token.END;
            }
            return value();
        }
        return isArray[depth] ? nextInArray() : nextInObject();
    }

    /** After the whole value: fails, describing the content as coming after {@code what}, unless only whitespace is left. */
    public void expectEnd(String what) throws JsonException {
        if (depth != 0 || state != State.AFTER_VALUE) {
            throw new IllegalStateException("the JSON value is not complete");
        }
        skipWhitespace();
        if (pos < length) {
            throw error("unexpected " + describeInput() + " after " + what);
        }
    }

    /** Skips the value whose first token was just returned: a whole object or array, or nothing for a scalar. */
    public void skipValue() throws JsonException {
        if (token == Token.START_OBJECT || token == Token.START_ARRAY) {
            int outer = depth - 1;
            while (depth > outer) {
                next();
            }
        }
    }

    /** The last token returned. */
    public Token token() {
        return token;
    }

    /** The name, the string (unescaped), the number as written, or the literal of the last token. */
    public String text() {
        return text;
    }

    /** The last token for an error message: strings quoted, containers by kind. */
    public String describe() {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case STRING:
            case NAME:
                return "\"" + text + "\"";
            case END:
                return "the end of the input";
            default:
                return text;
        }
    }

    /** RFC 6901 pointer of the last token's value (of the member, for a name; of the container, for its brackets). */
    public String pointer() {
        StringBuilder out = new StringBuilder();
        for (int level = 1; level <= depth; level++) {
            if (isArray[level]) {
                if (index[level] >= 0) {
                    out.append('/').append(index[level]);
                }
            } else if (name[level] != null) {
                out.append('/');
                appendEscaped(out, name[level]);
            }
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '~') {
                out.append("~0");
            } else if (c == '/') {
                out.append("~1");
            } else {
                out.append(c);
            }
        }
    }

    private Token nextInArray() throws JsonException {
        if (state == State.AFTER_VALUE) {
            index[depth]++;
            if (pos < length && json.charAt(pos) == ',') {
                pos++;
                skipWhitespace();
                return value();
            }
            if (pos < length && json.charAt(pos) == ']') {
                return close(Token.END_ARRAY);
            }
            throw error("expected , or ] after an array element, found " + describeInput());
        }
        if (pos < length && json.charAt(pos) == ']') {
            return close(Token.END_ARRAY);
        }
        index[depth] = 0;
        return value();
    }

    private Token nextInObject() throws JsonException {
        if (state == State.VALUE) {
            return value();
        }
        if (pos < length && json.charAt(pos) == '}') {
            return close(Token.END_OBJECT);
        }
        if (state == State.AFTER_VALUE) {
            if (pos >= length || json.charAt(pos) != ',') {
                throw error("expected , or } after an object member, found " + describeInput());
            }
            pos++;
            skipWhitespace();
        }
        if (pos >= length || json.charAt(pos) != '"') {
            throw error("expected a member name in double quotes, found " + describeInput());
        }
        String member = string();
        name[depth] = member;
        if (names[depth] == null) {
            names[depth] = new HashSet<>();
        }
        if (!names[depth].add(member)) {
            throw error("duplicate key \"" + quotable(member) + "\"");
        }
        skipWhitespace();
        if (pos >= length || json.charAt(pos) != ':') {
            throw error("expected : after the member name \"" + quotable(member) + "\", found " + describeInput());
        }
        pos++;
        state = State.VALUE;
        text = member;
        return token = Token.NAME;
    }

    /** Reads the value starting at {@code pos}, whitespace already skipped. */
    private Token value() throws JsonException {
        if (pos >= length) {
            throw error("expected a JSON value, found the end of the input");
        }
        char c = json.charAt(pos);
        if (c == '{' || c == '[') {
            if (depth == MAX_DEPTH) {
                throw error("nesting deeper than the limit of " + MAX_DEPTH + " levels");
            }
            pos++;
            depth++;
            isArray[depth] = c == '[';
            index[depth] = -1;
            name[depth] = null;
            names[depth] = null;
            state = State.FIRST_MEMBER;
            text = c == '{' ? "{" : "[";
            return token = c == '{' ? Token.START_OBJECT : Token.START_ARRAY;
        }
        Token scalar;
        if (c == '"') {
            text = string();
            scalar = Token.STRING;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            scalar = number();
        } else if (isWordChar(c)) {
            scalar = literal();
        } else {
            throw error("expected a JSON value, found " + describeInput());
        }
        state = State.AFTER_VALUE;
        return token = scalar;
    }

    private Token close(Token end) {
        pos++;
        name[depth] = null;
        names[depth] = null;
        depth--;
        state = State.AFTER_VALUE;
        text = end == Token.END_OBJECT ? "}" : "]";
        return token = end;
    }

    /** Reads the string whose opening quote is at {@code pos}. */
    private String string() throws JsonException {
        int start = pos + 1;
        int i = start;
        while (i < length) {
            char c = json.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return checkedLength(json.substring(start, i), start);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            i++;
        }
        StringBuilder out = buffer;
        out.setLength(0);
        out.append(json, start, i);
        while (true) {
            if (i >= length) {
                pos = i;
                throw error("unterminated string (it starts at column " + (start - lineStart) + ")");
            }
            char c = json.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return checkedLength(out.toString(), start);
            }
            if (c < 0x20) {
                pos = i;
                throw error("control character " + codePoint(c) + " in a string (it must be escaped)");
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= length) {
                pos = i + 1;
                throw error("unterminated string (it starts at column " + (start - lineStart) + ")");
            }
            char escape = json.charAt(i + 1);
            switch (escape) {
                case '"':
                case '\\':
                case '/':
                    out.append(escape);
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    out.append(unicodeEscape(i));
                    i += 4;
                    break;
                default:
                    pos = i;
                    throw error("invalid escape \\" + (isPrintable(escape) ? String.valueOf(escape) : codePoint(escape))
                            + " in a string (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
            i += 2;
        }
    }

    /** The character of the {@code \\uXXXX} escape whose backslash is at {@code at}. */
    private char unicodeEscape(int at) throws JsonException {
        int value = 0;
        for (int k = at + 2; k < at + 6; k++) {
            int digit = k < length ? hexDigit(json.charAt(k)) : -1;
            if (digit < 0) {
                pos = at;
                throw error("invalid escape \\" + quotable(json.substring(at + 1, Math.min(length, at + 6)))
                        + " in a string (\\u takes four hexadecimal digits)");
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private String checkedLength(String value, int start) throws JsonException {
        if (value.length() > maxStringChars) {
            pos = start - 1;
            throw error("string of " + value.length() + " characters is longer than the limit of " + maxStringChars);
        }
        return value;
    }

    private Token number() throws JsonException {
        int start = pos;
        if (json.charAt(pos) == '-') {
            pos++;
        }
        if (!digitAt(pos)) {
            throw error("expected a digit after -, found " + describeInput());
        }
        if (json.charAt(pos) == '0' && digitAt(pos + 1)) {
            pos = start;
            throw error("number " + quotable(numberLike(start)) + " has a leading zero");
        }
        skipDigits();
        boolean integer = true;
        if (pos < length && json.charAt(pos) == '.') {
            integer = false;
            pos++;
            if (!digitAt(pos)) {
                throw error("expected a digit after the decimal point, found " + describeInput());
            }
            skipDigits();
        }
        if (pos < length && (json.charAt(pos) == 'e' || json.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < length && (json.charAt(pos) == '+' || json.charAt(pos) == '-')) {
                pos++;
            }
            if (!digitAt(pos)) {
                throw error("expected a digit in the exponent, found " + describeInput());
            }
            skipDigits();
        }
        text = json.substring(start, pos);
        return integer ? Token.INTEGER : Token.NUMBER;
    }

    /** The run of number characters from {@code start}, for an error message. */
    private String numberLike(int start) {
        int end = start + 1;
        while (end < length && (digitAt(end) || json.charAt(end) == '.')) {
            end++;
        }
        return json.substring(start, end);
    }

    private boolean digitAt(int at) {
        return at < length && json.charAt(at) >= '0' && json.charAt(at) <= '9';
    }

    private void skipDigits() {
        while (digitAt(pos)) {
            pos++;
        }
    }

    private Token literal() throws JsonException {
        String word = wordAt(pos);
        switch (word) {
            case "true":
                pos += 4;
                text = word;
                return Token.TRUE;
            case "false":
                pos += 5;
                text = word;
                return Token.FALSE;
            case "null":
                pos += 4;
                text = word;
                return Token.NULL;
            default:
                throw error("expected a JSON value, found " + describeInput());
        }
    }

    private String wordAt(int start) {
        int end = start;
        while (end < length && isWordChar(json.charAt(end))) {
            end++;
        }
        return json.substring(start, end);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void skipWhitespace() {
        while (pos < length) {
            char c = json.charAt(pos);
            if (c == '\n' || (c == '\r' && (pos + 1 >= length || json.charAt(pos + 1) != '\n'))) {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The input at {@code pos} for an error message: a word, a character, or the end. */
    private String describeInput() {
        if (pos >= length) {
            return "the end of the input";
        }
        char c = json.charAt(pos);
        if (isWordChar(c)) {
            return "'" + quotable(wordAt(pos)) + "'";
        }
        if (c == '\uFEFF') {
            return "a byte order mark (U+FEFF)";
        }
        if (c == '\'') {
            return "a single quote (')";
        }
        return isPrintable(c) ? "'" + c + "'" : codePoint(c);
    }

    private static boolean isPrintable(char c) {
        return c > 0x20 && c < 0x7F;
    }

    private static String codePoint(char c) {
        String hex = Integer.toHexString(c).toUpperCase();
        return "U+" + "0000".substring(hex.length()) + hex;
    }

    private static String quotable(String value) {
        return value.length() <= MAX_QUOTED_CHARS ? value : value.substring(0, MAX_QUOTED_CHARS) + "...";
    }

    private JsonException error(String problem) {
        return new JsonException(problem, pointer(), line, pos - lineStart + 1);
    }
}
