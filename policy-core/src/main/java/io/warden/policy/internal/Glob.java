package io.warden.policy.internal;

/**
 * A glob over absolute, normalised paths: {@code *} and {@code ?} within one segment, {@code **} (a whole segment) for
 * zero or more segments. So {@code /tmp/**} matches {@code /tmp} itself and everything below it.
 */
public final class Glob implements Rule {
    private static final String ANY_SEGMENTS = "**";

    private final String text;
    private final String[] segments;
    private final int literalPrefixLength;

    private Glob(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
        this.literalPrefixLength = Wildcards.literalPrefixLength(text);
    }

    /** @throws IllegalArgumentException with the offending value */
    public static Glob parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not an absolute path pattern (it must start with /)");
        }
        if (text.equals("/")) {
            return new Glob(text, new String[0]);
        }
        String[] segments = text.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException(
                        "\"" + text + "\" has an empty path segment (\"//\" or a trailing /)");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("\"" + text + "\" has a \"" + segment
                        + "\" segment; paths are matched after normalisation, so it would never match");
            }
            if (segment.equals(ANY_SEGMENTS)) {
                continue;
            }
            if (segment.contains(ANY_SEGMENTS)) {
                throw new IllegalArgumentException("\"" + text + "\" uses ** inside the segment \"" + segment
                        + "\"; ** must be a whole segment, as in /opt/**/*.jar");
            }
            if (segment.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("\"" + text + "\" contains a NUL character");
            }
        }
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(ANY_SEGMENTS)) {
                segments[i] = ANY_SEGMENTS;
            }
        }
        return new Glob(text, segments);
    }

    /** @param path absolute and normalised ({@link io.warden.policy.PathNormalizer}) */
    public boolean matches(String path) {
        int length = path.length();
        int position = length == 1 ? length + 1 : 1;
        int p = 0;
        int backtrackP = -1;
        int backtrackPosition = -1;
        while (true) {
            if (p < segments.length && segments[p] == ANY_SEGMENTS) {
                backtrackP = p++;
                backtrackPosition = position;
                continue;
            }
            if (position > length) {
                return p == segments.length;
            }
            int end = path.indexOf('/', position);
            if (end < 0) {
                end = length;
            }
            if (p < segments.length && Wildcards.matches(segments[p], path, position, end, false)) {
                p++;
                position = end + 1;
                continue;
            }
            if (backtrackP < 0) {
                return false;
            }
            int swallowed = path.indexOf('/', backtrackPosition);
            backtrackPosition = swallowed < 0 ? length + 1 : swallowed + 1;
            position = backtrackPosition;
            p = backtrackP + 1;
        }
    }

    /** Length of the text before the first wildcard: how specific the pattern is. */
    public int literalPrefixLength() {
        return literalPrefixLength;
    }

    @Override
    public String text() {
        return text;
    }
}
