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
 * {@code SecureDirectoryStream}) is resolved against the directory the descriptor holds open.
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
            return normalized; // absolute and already normal: no "..", the common case
        }
        int lastParent = lastParentSegment(text);
        if (lastParent < 0) {
            return normalized;
        }
        String absolute = text.startsWith("/") ? text : directory + "/" + text;
        int end = lastParent + 2 + (absolute.length() - text.length());
        try {
            String real = new File(absolute.substring(0, end)).getCanonicalPath();
            String rest = absolute.substring(end); // "" or "/..."
            return rest.isEmpty() ? real : PathNormalizer.normalize(rest.substring(1), real);
        } catch (IOException unresolvable) {
            return normalized; // the kernel cannot walk it either
        }
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
