package io.warden.policy;

/**
 * Makes a path absolute and removes {@code .}, {@code ..} and repeated or trailing slashes, working on the string only:
 * it never touches the file system, so symbolic links are not resolved.
 */
public final class PathNormalizer {
    private PathNormalizer() {}

    /**
     * @param path an absolute path, or a path relative to {@code workingDirectory}; the empty path is the working
     *     directory, as in {@code new File("").getAbsolutePath()}
     * @param workingDirectory an absolute path
     * @return the absolute normalised path, e.g. {@code /proc/self/environ} for {@code /tmp/../proc/self/environ}; the same
     *     instance when {@code path} is already normalised
     */
    public static String normalize(String path, String workingDirectory) {
        if (isNormalized(path)) {
            return path;
        }
        String absolute = !path.isEmpty() && path.charAt(0) == '/' ? path : workingDirectory + "/" + path;
        StringBuilder out = new StringBuilder(absolute.length());
        int length = absolute.length();
        int start = 0;
        while (start < length) {
            int end = absolute.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            int segmentLength = end - start;
            if (segmentLength == 0 || (segmentLength == 1 && absolute.charAt(start) == '.')) {
                // repeated slash or "."
            } else if (segmentLength == 2 && absolute.charAt(start) == '.' && absolute.charAt(start + 1) == '.') {
                int lastSlash = out.lastIndexOf("/");
                out.setLength(Math.max(lastSlash, 0));
            } else {
                out.append('/').append(absolute, start, end);
            }
            start = end + 1;
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** True when the path is absolute and has no empty, "." or ".." segment and no trailing slash. */
    private static boolean isNormalized(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        if (length == 1) {
            return true;
        }
        int segmentStart = 1;
        for (int i = 1; i <= length; i++) {
            if (i == length || path.charAt(i) == '/') {
                int segmentLength = i - segmentStart;
                if (segmentLength == 0) {
                    return false;
                }
                if (path.charAt(segmentStart) == '.'
                        && (segmentLength == 1 || (segmentLength == 2 && path.charAt(segmentStart + 1) == '.'))) {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        return true;
    }
}
