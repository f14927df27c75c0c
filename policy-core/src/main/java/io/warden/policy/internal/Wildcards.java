package io.warden.policy.internal;

/** Matching of {@code *} (any run of characters) and {@code ?} (one character) without regular expressions. */
final class Wildcards {
    private Wildcards() {}

    /**
     * Whether {@code pattern} matches {@code text[from, to)} as a whole, in time O(pattern × text) at worst.
     *
     * @param ignoreCase compare ASCII letters case-insensitively
     */
    static boolean matches(String pattern, String text, int from, int to, boolean ignoreCase) {
        int p = 0;
        int t = from;
        int patternLength = pattern.length();
        int starP = -1;
        int starT = -1;
        while (t < to) {
            if (p < patternLength) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    starP = p++;
                    starT = t;
                    continue;
                }
                if (pc == '?' || same(pc, text.charAt(t), ignoreCase)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            t = ++starT;
        }
        while (p < patternLength && pattern.charAt(p) == '*') {
            p++;
        }
        return p == patternLength;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && lower(a) == lower(b);
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Index of the first {@code *} or {@code ?}, or the length when there is none. */
    static int literalPrefixLength(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                return i;
            }
        }
        return pattern.length();
    }
}
