package io.warden.agent.core.observe;

/**
 * Collapses names a function makes per request, so that observations (and the policy suggested from them) hold what
 * generalises, not one entry per temporary file. Hand-written: it runs on every observed file operation.
 *
 * <p>The rule, for file paths: everything under a scratch directory ({@code /tmp}, {@code /var/tmp}, {@code /dev/shm}
 * and {@code java.io.tmpdir}) is that directory's {@code /**}: what a function writes there is per request by nature.
 * Elsewhere, each path segment that looks generated becomes {@code *}: a number ({@code /proc/4711/stat}, a file
 * descriptor), a segment with a run of 6 or more digits (time stamps, {@code File.createTempFile}'s names), or one with
 * a run of 8 or more hexadecimal characters holding both digits and letters (UUIDs, hashes). Other names are kept.
 */
final class Generalize {
    private static final String[] SCRATCH = {"/tmp", "/var/tmp", "/dev/shm"};
    /** Each scratch directory's {@code /**}, made once: the same instance each time, its hash computed once. */
    private static final String[] SCRATCH_GLOBS = {"/tmp/**", "/var/tmp/**", "/dev/shm/**"};

    private Generalize() {}

    /** The path as observed: its scratch directory's {@code /**}, or the path with generated segments as {@code *}. */
    static String filePath(String path, String tmpDir) {
        for (int i = 0; i < SCRATCH.length; i++) {
            if (under(path, SCRATCH[i])) {
                return SCRATCH_GLOBS[i];
            }
        }
        if (tmpDir != null && tmpDir.length() > 1 && under(path, tmpDir)) {
            return tmpDir + "/**";
        }
        return segments(path);
    }

    private static boolean under(String path, String directory) {
        return path.startsWith(directory)
                && (path.length() == directory.length() || path.charAt(directory.length()) == '/');
    }

    /** The path with each generated segment replaced by {@code *}; the same instance when none is. */
    static String segments(String path) {
        StringBuilder out = null;
        int length = path.length();
        int start = 0;
        while (start <= length) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            boolean generated = generated(path, start, end);
            if (generated && out == null) {
                out = new StringBuilder(length).append(path, 0, start);
            }
            if (out != null) {
                if (generated) {
                    out.append('*');
                } else {
                    out.append(path, start, end);
                }
                if (end < length) {
                    out.append('/');
                }
            }
            start = end + 1;
        }
        return out == null ? path : out.toString();
    }

    /**
     * An S3 key as a prefix: its segments up to the last {@code /}, ending before the first generated one, with the
     * {@code /} after the last segment kept: {@code orders/2026/12/8f3a....json} is {@code orders/2026/12/}; a key at
     * the top of the bucket, or under a generated segment at once, is {@code ""}.
     */
    static String keyPrefix(String key) {
        int end = 0;
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            if (slash < 0 || generated(key, start, slash)) {
                return key.substring(0, end);
            }
            end = slash + 1;
            start = slash + 1;
        }
    }

    /** Whether {@code text[start, end)} looks made by a program rather than by a person. */
    static boolean generated(String text, int start, int end) {
        if (start >= end) {
            return false;
        }
        boolean allDigits = true;
        int digitRun = 0;
        int hexRun = 0;
        boolean hexDigit = false;
        boolean hexLetter = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hexLetterChar = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            allDigits &= digit;
            digitRun = digit ? digitRun + 1 : 0;
            if (digitRun >= 6) {
                return true;
            }
            if (digit || hexLetterChar) {
                hexRun++;
                hexDigit |= digit;
                hexLetter |= hexLetterChar;
                if (hexRun >= 8 && hexDigit && hexLetter) {
                    return true;
                }
            } else if (c != '-') { // a UUID's dashes continue its run
                hexRun = 0;
                hexDigit = false;
                hexLetter = false;
            }
        }
        return allDigits;
    }
}
