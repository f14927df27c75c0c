package io.warden.scanner.archive;

import io.warden.scanner.archive.ArchiveVisitor.EntryVisitor;
import io.warden.scanner.archive.internal.CountingInputStream;
import io.warden.scanner.archive.internal.EntryNames;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a package (zip, jar, war, or directory) and every archive nested in it as streams, never extracting to disk,
 * within {@link ArchiveLimits}. Whatever cannot be read is reported to the visitor as {@link Unscannable}; the walk
 * itself never throws for bad input.
 */
public final class ArchiveWalker {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ArchiveVisitor visitor;
    private final ArchiveLimits limits;
    private final byte[] drainBuffer = new byte[BUFFER_BYTES];
    private long totalInflated;

    private ArchiveWalker(ArchiveVisitor visitor, ArchiveLimits limits) {
        this.visitor = visitor;
        this.limits = limits;
    }

    /** Walks a directory, an archive file or any other single file. */
    public static void walk(Path path, ArchiveVisitor visitor, ArchiveLimits limits) throws IOException {
        ArchiveWalker walker = new ArchiveWalker(visitor, limits);
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            walker.guarded(name, () -> walker.walkDirectory(path, name));
        } else {
            try (InputStream in = Files.newInputStream(path)) {
                walker.walkPackage(in, name);
            }
        }
    }

    /** Walks a package read from a stream (the caller closes it); {@code name} is its file name. */
    public static void walk(InputStream in, String name, ArchiveVisitor visitor, ArchiveLimits limits)
            throws IOException {
        new ArchiveWalker(visitor, limits).walkPackage(in, name);
    }

    private void walkPackage(InputStream in, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
        if (startsLikeZip(buffered)) {
            guarded(name, () -> walkZip(buffered, new Archive(name, name, 0)));
        } else {
            Archive single = new Archive("", name, 0);
            EntryVisitor entries = visitor.enter(single);
            try {
                entries.entry(name, entries.wantsContent(name) ? readInspected(buffered, name) : null);
            } finally {
                entries.leave();
            }
        }
    }

    private interface Walk {
        void run() throws IOException;
    }

    /** Runs a walk that the total-size limit may stop as a whole. */
    private void guarded(String packageName, Walk walk) throws IOException {
        try {
            walk.run();
        } catch (TotalLimitExceeded e) {
            visitor.unscannable(new Unscannable(packageName, e.getMessage()));
        }
    }

    private void walkDirectory(Path root, String name) throws IOException {
        Archive directory = new Archive(name, name, 0);
        EntryVisitor entries = visitor.enter(directory);
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                private int count;

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (!attributes.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (++count > limits.maxEntriesPerArchive()) {
                        visitor.unscannable(new Unscannable(name, "more than " + limits.maxEntriesPerArchive()
                                + " files; the rest was not read"));
                        return FileVisitResult.TERMINATE;
                    }
                    String path = root.relativize(file).toString().replace('\\', '/');
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
                        visitEntry(directory, entries, path, new EntryGuard(in, null, directory.locationOf(path), directory));
                    } catch (GuardTripped tripped) {
                        visitor.unscannable(new Unscannable(tripped.location, tripped.getMessage()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    visitor.unscannable(new Unscannable(file.toString(), "cannot be read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } finally {
            entries.leave();
        }
    }

    private void walkZip(InputStream source, Archive archive) throws IOException {
        EntryVisitor entries = visitor.enter(archive);
        CountingInputStream compressed = new CountingInputStream(source);
        // ISO-8859-1 never fails to decode, so a name that is not UTF-8 can be reported and skipped (see EntryNames).
        ZipInputStream zip = new ZipInputStream(compressed, StandardCharsets.ISO_8859_1);
        int count = 0;
        try {
            while (true) {
                ZipEntry entry;
                try {
                    entry = zip.getNextEntry();
                } catch (IllegalArgumentException malformedName) {
                    visitor.unscannable(new Unscannable(archive.location(),
                            "an entry name flagged as UTF-8 is not valid UTF-8; the rest was not read"));
                    return;
                }
                if (entry == null) {
                    if (count == 0) {
                        visitor.unscannable(new Unscannable(archive.location(), "corrupt archive: no entry could be read"));
                    }
                    return;
                }
                if (++count > limits.maxEntriesPerArchive()) {
                    visitor.unscannable(new Unscannable(archive.location(), "more than "
                            + limits.maxEntriesPerArchive() + " entries; the rest was not read"));
                    return;
                }
                String path = EntryNames.decode(entry.getName());
                EntryGuard guard = new EntryGuard(zip, compressed, archive.locationOf(
                        path == null ? EntryNames.escape(entry.getName()) : path), archive);
                if (path == null) {
                    visitor.unscannable(new Unscannable(guard.location, "entry name is not valid UTF-8; skipped"));
                } else if (!entry.isDirectory()) {
                    String unsafe = EntryNames.unsafeReason(path);
                    if (unsafe != null) {
                        visitor.unscannable(new Unscannable(guard.location, unsafe + "; skipped"));
                    } else {
                        visitEntry(archive, entries, path, guard);
                    }
                }
                guard.drain();
            }
        } catch (GuardTripped tripped) {
            if (tripped.owner != archive) {
                throw tripped;
            }
            visitor.unscannable(new Unscannable(tripped.location, tripped.getMessage()
                    + "; the rest of " + archive.location() + " was not read"));
        } catch (TotalLimitExceeded e) {
            throw e;
        } catch (EOFException e) {
            visitor.unscannable(new Unscannable(archive.location(), "corrupt archive: truncated"));
        } catch (IOException | RuntimeException e) {
            visitor.unscannable(new Unscannable(archive.location(), "corrupt archive: " + e.getMessage()));
        } finally {
            entries.leave();
        }
    }

    private void visitEntry(Archive archive, EntryVisitor entries, String path, EntryGuard guard) throws IOException {
        InputStream content = guard;
        if (isArchiveName(path)) {
            BufferedInputStream peek = new BufferedInputStream(guard, BUFFER_BYTES);
            if (startsLikeZip(peek)) {
                if (archive.depth() + 1 > limits.maxNestingDepth()) {
                    visitor.unscannable(new Unscannable(guard.location, "nested deeper than "
                            + limits.maxNestingDepth() + " archives; not opened"));
                } else {
                    walkZip(peek, archive.nested(path));
                }
                return;
            }
            content = peek;
        }
        entries.entry(path, entries.wantsContent(path) ? readInspected(content, guard.location) : null);
    }

    private byte[] readInspected(InputStream in, String location) throws IOException {
        byte[] bytes = in.readNBytes(limits.maxInspectedEntryBytes() + 1);
        if (bytes.length > limits.maxInspectedEntryBytes()) {
            visitor.unscannable(new Unscannable(location, "larger than " + limits.maxInspectedEntryBytes()
                    + " bytes; its content was not inspected"));
            return null;
        }
        return bytes;
    }

    private static boolean isArchiveName(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear") || lower.endsWith(".zip")
                || lower.endsWith(".aar");
    }

    private static boolean startsLikeZip(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
                && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
    }

    private void countInflated(long bytes) throws TotalLimitExceeded {
        totalInflated += bytes;
        if (totalInflated > limits.maxTotalInflatedBytes()) {
            throw new TotalLimitExceeded("inflates to more than " + limits.maxTotalInflatedBytes()
                    + " bytes; scanning stopped");
        }
    }

    /** The content of one entry, counted against the total and checked for its compression ratio as it is read. */
    private final class EntryGuard extends FilterInputStream {
        private final CountingInputStream compressed;
        private final long compressedAtStart;
        private final String location;
        private final Archive owner;
        private long inflated;

        EntryGuard(InputStream in, CountingInputStream compressed, String location, Archive owner) {
            super(in);
            this.compressed = compressed;
            this.compressedAtStart = compressed == null ? 0 : compressed.count();
            this.location = location;
            this.owner = owner;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                inflated += n;
                countInflated(n);
                if (compressed != null && inflated > limits.ratioGraceBytes()) {
                    long packed = Math.max(1, compressed.count() - compressedAtStart);
                    if (inflated > packed * limits.maxCompressionRatio()) {
                        throw new GuardTripped(owner, location, "compression ratio above "
                                + limits.maxCompressionRatio() + " (" + inflated + " bytes from " + packed
                                + "): a zip bomb");
                    }
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes are inflated all the same, so they go through the checks.
            int read = n <= 0 ? 0 : read(drainBuffer, 0, (int) Math.min(drainBuffer.length, n));
            return Math.max(read, 0);
        }

        /** Reads the rest of the entry through the checks, so no byte is inflated unchecked. */
        void drain() throws IOException {
            while (read(drainBuffer, 0, drainBuffer.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() {
            // The enclosing archive's stream stays open for its next entry.
        }
    }

    private static final class GuardTripped extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Archive owner;
        private final String location;

        GuardTripped(Archive owner, String location, String reason) {
            super(reason);
            this.owner = owner;
            this.location = location;
        }
    }

    private static final class TotalLimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        TotalLimitExceeded(String reason) {
            super(reason);
        }
    }
}
