package io.warden.agent.core.enforce;

import io.warden.policy.PathNormalizer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Paths as the kernel resolves them. A path is normalised on its text when that gives the kernel's answer, which costs
 * nothing for a path already absolute and normal. Where links change the answer the real file system decides: a
 * {@code ..} that follows a link leaves the link's target, not the link's directory, so the part up to the last
 * {@code ..} is resolved through the file system; a name relative to a directory descriptor (the {@code *at} calls of
 * {@code SecureDirectoryStream}) is resolved against the directory the descriptor holds open; and a path through a
 * process's links in {@code /proc} ({@code root}, {@code cwd}, {@code exe}, {@code fd/N}, {@code map_files/...}, also
 * below {@code task/TID} and through {@code /dev/fd}) is another name for a file outside {@code /proc}, so it is
 * resolved to that file, which a rule for the file (a deny entry, the built-in deny set) then judges.
 *
 * <p>The file system is read through {@code java.io.File.getCanonicalPath}, which no hook sees and which no
 * replaceable provider serves.
 */
final class KernelPaths {

    /** The *at calls' "relative to the working directory" descriptor (Linux). */
    private static final int AT_FDCWD = -100;

    private final String workingDirectory;

    KernelPaths(String workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** A path string (java.io), a {@code UnixPath} (JDK code, final) or path bytes: absolute and resolved. */
    String of(Object path) {
        String text = path instanceof String
                ? (String) path
                : path instanceof byte[] ? new String((byte[]) path, StandardCharsets.UTF_8) : String.valueOf(path);
        return resolve(text, workingDirectory);
    }

    /** A name (path bytes, or the JDK's UnixPath) relative to a directory descriptor, as an *at system call takes it. */
    String at(Object directoryDescriptor, Object name) {
        String text = name instanceof byte[] ? new String((byte[]) name, StandardCharsets.UTF_8) : String.valueOf(name);
        if (text.startsWith("/")
                || !(directoryDescriptor instanceof Integer)
                || (Integer) directoryDescriptor == AT_FDCWD) {
            return resolve(text, workingDirectory);
        }
        return resolve(text, descriptor((Integer) directoryDescriptor));
    }

    /**
     * The path of the file a descriptor holds open, from /proc/self/fd.
     *
     * @throws UncheckedIOException when the kernel does not say: the check then fails closed
     */
    String descriptor(int descriptor) {
        try {
            return new File("/proc/self/fd/" + descriptor).getCanonicalPath();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /**
     * {@code text} against {@code directory}, normalised; when it has a {@code ..} segment, everything up to its last
     * {@code ..} is resolved through the file system first.
     */
    String resolve(String text, String directory) {
        String normalized = PathNormalizer.normalize(text, directory);
        if (normalized == text) {
            return throughProcessLinks(normalized); // absolute and already normal: no "..", the common case
        }
        int lastParent = lastParentSegment(text);
        if (lastParent < 0) {
            return throughProcessLinks(normalized);
        }
        String absolute = text.startsWith("/") ? text : directory + "/" + text;
        int end = lastParent + 2 + (absolute.length() - text.length());
        try {
            String real = new File(absolute.substring(0, end)).getCanonicalPath();
            String rest = absolute.substring(end); // "" or "/..."
            return throughProcessLinks(rest.isEmpty() ? real : PathNormalizer.normalize(rest.substring(1), real));
        } catch (IOException unresolvable) {
            return normalized; // the kernel cannot walk it either
        }
    }

    /**
     * An absolute normal path through a process's link to a file outside {@code /proc}, resolved to that file;
     * any other path as it is, at the cost of two prefix tests. A link to no file (a pipe, a socket) resolves to
     * itself, below {@code /proc}.
     */
    static String throughProcessLinks(String path) {
        if (!(path.startsWith("/proc/") || path.startsWith("/dev/fd/")) || !isThroughProcessLink(path)) {
            return path;
        }
        try {
            return new File(path).getCanonicalPath();
        } catch (IOException unresolvable) {
            return path; // the kernel cannot walk it either
        }
    }

    /**
     * {@code /dev/fd/...}, or {@code /proc/PID/} (also {@code self}, {@code thread-self}, and {@code task/TID/} below
     * it) followed by {@code root}, {@code cwd}, {@code exe}, {@code fd/...} or {@code map_files/...}.
     */
    static boolean isThroughProcessLink(String path) {
        if (path.startsWith("/dev/fd/")) {
            return true;
        }
        int at = skipProcess(path, "/proc/".length());
        if (at < 0) {
            return false;
        }
        if (path.startsWith("task/", at)) {
            at = skipNumber(path, at + "task/".length());
            if (at < 0) {
                return false;
            }
        }
        return isSegment(path, at, "root")
                || isSegment(path, at, "cwd")
                || isSegment(path, at, "exe")
                || (path.startsWith("fd/", at) && path.length() > at + "fd/".length())
                || (path.startsWith("map_files/", at) && path.length() > at + "map_files/".length());
    }

    /** The index after {@code self/}, {@code thread-self/} or {@code PID/} at {@code at}, or -1. */
    private static int skipProcess(String path, int at) {
        if (path.startsWith("self/", at)) {
            return at + "self/".length();
        }
        if (path.startsWith("thread-self/", at)) {
            return at + "thread-self/".length();
        }
        return skipNumber(path, at);
    }

    /** The index after a run of digits and a slash at {@code at}, or -1. */
    private static int skipNumber(String path, int at) {
        int end = at;
        while (end < path.length() && path.charAt(end) >= '0' && path.charAt(end) <= '9') {
            end++;
        }
        return end > at && end < path.length() && path.charAt(end) == '/' ? end + 1 : -1;
    }

    /** Whether {@code name} is the whole segment at {@code at}. */
    private static boolean isSegment(String path, int at, String name) {
        int end = at + name.length();
        return path.startsWith(name, at) && (end == path.length() || path.charAt(end) == '/');
    }

    /** Index of the last ".." segment of a path, or -1. */
    static int lastParentSegment(String path) {
        int at = path.lastIndexOf("..");
        while (at >= 0) {
            boolean starts = at == 0 || path.charAt(at - 1) == '/';
            boolean ends = at + 2 == path.length() || path.charAt(at + 2) == '/';
            if (starts && ends) {
                return at;
            }
            at = at == 0 ? -1 : path.lastIndexOf("..", at - 1);
        }
        return -1;
    }
}
