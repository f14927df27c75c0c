package io.warden.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacks a function or layer zip the way Lambda does: every file keeps the Unix mode recorded in the zip (so an exec
 * wrapper stays executable), nothing lands outside the target directory, and the size stays within Lambda's limit.
 */
final class ZipUnpacker {

    /** Lambda's limit for a function and all its layers, unzipped. */
    static final long MAX_UNPACKED_BYTES = 250L * 1024 * 1024;

    static final int MAX_ENTRIES = 100_000;

    private ZipUnpacker() {}

    /** Unpacks {@code zip} into {@code target}; {@code budget} is what the function and its layers may still use. */
    static void unpack(Path zip, Path target, UnpackBudget budget) throws InvokeException {
        Path root = target.toAbsolutePath().normalize();
        try (FileSystem archive = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
                Stream<Path> entries = Files.walk(archive.getPath("/"))) {
            Files.createDirectories(root);
            Iterator<Path> iterator = entries.iterator();
            while (iterator.hasNext()) {
                Path entry = iterator.next();
                if (!Files.isRegularFile(entry)) {
                    continue;
                }
                budget.countEntry(zip);
                Path file = root.resolve(entry.toString().substring(1)).normalize();
                if (!file.startsWith(root)) {
                    throw new InvokeException(
                            zip + ": entry " + entry + " would be written outside the unpacked directory");
                }
                Files.createDirectories(file.getParent());
                copy(entry, file, zip, budget);
                Files.setPosixFilePermissions(
                        file,
                        readable(Files.readAttributes(entry, PosixFileAttributes.class)
                                .permissions()));
            }
        } catch (IOException | RuntimeException e) {
            throw new InvokeException("Cannot unpack " + zip + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path entry, Path file, Path zip, UnpackBudget budget) throws IOException, InvokeException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(entry);
                OutputStream out = Files.newOutputStream(file)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                budget.countBytes(zip, read);
                out.write(buffer, 0, read);
            }
        }
    }

    /** Lambda's sandbox user must be able to read what it was given, whatever the zip recorded. */
    private static Set<PosixFilePermission> readable(Set<PosixFilePermission> recorded) {
        Set<PosixFilePermission> mode =
                recorded.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(recorded);
        mode.add(PosixFilePermission.OWNER_READ);
        mode.add(PosixFilePermission.OWNER_WRITE);
        return mode;
    }

    /** What is left of Lambda's unpacked-size limit, shared by the function zip and its layers. */
    static final class UnpackBudget {
        private final long maxBytes;
        private final int maxEntries;
        private long bytes;
        private int entries;

        UnpackBudget() {
            this(MAX_UNPACKED_BYTES, MAX_ENTRIES);
        }

        UnpackBudget(long maxBytes, int maxEntries) {
            this.maxBytes = maxBytes;
            this.maxEntries = maxEntries;
        }

        void countBytes(Path zip, int more) throws InvokeException {
            bytes += more;
            if (bytes > maxBytes) {
                throw new InvokeException(zip + ": the function and its layers unpack to more than " + maxBytes
                        + " bytes, Lambda's limit");
            }
        }

        void countEntry(Path zip) throws InvokeException {
            if (++entries > maxEntries) {
                throw new InvokeException(zip + ": more than " + maxEntries + " files");
            }
        }
    }
}
