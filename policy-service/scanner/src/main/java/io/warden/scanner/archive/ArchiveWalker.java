package io.warden.scanner.archive;

import io.warden.scanner.archive.ArchiveVisitor.EntryVisitor;
import io.warden.scanner.archive.internal.BufferPool;
import io.warden.scanner.archive.internal.CentralDirectory;
import io.warden.scanner.archive.internal.CountingInputStream;
import io.warden.scanner.archive.internal.EntryNames;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Reads a package (zip, jar, war, or directory) and every archive nested in it, never extracting to disk, within
 * {@link ArchiveLimits}. Whatever cannot be read is reported to the visitor as {@link Unscannable}; the walk itself
 * never throws for bad input.
 *
 * <p>An archive is read through its central directory when it can be: the package when it is a file, and each nested
 * archive once its bytes are held in memory (within {@link ArchiveLimits#HELD_ARCHIVES_BYTES}). Then only the entries
 * the visitor wants are inflated; a jar's classes, wanted by name only, are never inflated. A package read from a
 * stream, and an archive too large to hold or without a readable central directory, is read as a stream instead,
 * every entry inflated and checked. The archives directly inside the package are read in parallel, one per core.
 */
public final class ArchiveWalker {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** How much of a package that is not an archive its error message shows. */
    private static final int PEEK_BYTES = 24;

    private static final List<String> ARCHIVE_EXTENSIONS = List.of(".jar", ".war", ".ear", ".zip", ".aar");
    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();
    /** Where each thread inflates the bytes nobody needs (they are still counted and checked). */
    private static final ThreadLocal<byte[]> DISCARD = ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

    private final ArchiveVisitor visitor;
    private final ArchiveLimits limits;
    private final AtomicLong totalInflated = new AtomicLong();
    private final BufferPool buffers;
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, task -> {
        Thread thread = new Thread(task, "warden-scan");
        thread.setDaemon(true);
        return thread;
    });

    private ArchiveWalker(ArchiveVisitor visitor, ArchiveLimits limits) {
        this.visitor = visitor;
        this.limits = limits;
        this.buffers = new BufferPool(limits.heldArchivesBytes());
    }

    /**
     * Walks a directory or an archive file (through its central directory).
     *
     * @throws NotAnArchiveException when the file is not a zip archive
     */
    public static void walk(Path path, ArchiveVisitor visitor, ArchiveLimits limits) throws IOException {
        ArchiveWalker walker = new ArchiveWalker(visitor, limits);
        String name = path.getFileName() == null
                ? path.toString()
                : path.getFileName().toString();
        try {
            if (Files.isDirectory(path)) {
                walker.guarded(name, () -> walker.walkDirectory(path, name));
                return;
            }
            ZipFile zip = walker.openRandomly(FileChannel.open(path, StandardOpenOption.READ), true);
            if (zip != null) {
                try (zip) {
                    walker.guarded(name, () -> walker.walkRandomly(zip, new Archive(name, name, 0)));
                }
                return;
            }
            try (InputStream in = Files.newInputStream(path)) {
                walker.walkPackage(in, name);
            }
        } finally {
            walker.workers.shutdownNow();
        }
    }

    /**
     * Walks a package read from a stream (the caller closes it); {@code name} is its file name.
     *
     * @throws NotAnArchiveException when the stream is not a zip archive
     */
    public static void walk(InputStream in, String name, ArchiveVisitor visitor, ArchiveLimits limits)
            throws IOException {
        ArchiveWalker walker = new ArchiveWalker(visitor, limits);
        try {
            walker.walkPackage(in, name);
        } finally {
            walker.workers.shutdownNow();
        }
    }

    /** A package read from a stream: it must be a zip archive; anything else is refused. */
    private void walkPackage(InputStream in, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
        if (!startsLikeZip(buffered)) {
            buffered.mark(PEEK_BYTES);
            byte[] start = buffered.readNBytes(PEEK_BYTES);
            throw new NotAnArchiveException(name, start, start.length);
        }
        guarded(name, () -> walkZip(buffered, new Archive(name, name, 0)));
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
                        visitor.unscannable(new Unscannable(
                                name, "more than " + limits.maxEntriesPerArchive() + " files; the rest was not read"));
                        return FileVisitResult.TERMINATE;
                    }
                    String path = root.relativize(file).toString().replace('\\', '/');
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
                        visitEntry(
                                directory,
                                entries,
                                path,
                                new EntryGuard(in, null, directory.locationOf(path), directory),
                                attributes.size(),
                                null);
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

    /** Reads an archive as a stream: every entry is inflated (and checked) in the order it is stored. */
    private void walkZip(InputStream source, Archive archive) throws IOException {
        EntryVisitor entries = visitor.enter(archive);
        List<Future<?>> parallel = archive.depth() == 0 ? new ArrayList<>() : null;
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
                    visitor.unscannable(new Unscannable(
                            archive.location(),
                            "an entry name flagged as UTF-8 is not valid UTF-8; the rest was not read"));
                    return;
                }
                if (entry == null) {
                    if (count == 0) {
                        visitor.unscannable(
                                new Unscannable(archive.location(), "corrupt archive: no entry could be read"));
                    }
                    return;
                }
                if (++count > limits.maxEntriesPerArchive()) {
                    visitor.unscannable(new Unscannable(
                            archive.location(),
                            "more than " + limits.maxEntriesPerArchive() + " entries; the rest was not read"));
                    return;
                }
                String path = EntryNames.decode(entry.getName());
                long compressedAtStart = compressed.count();
                EntryGuard guard = new EntryGuard(
                        zip,
                        () -> compressed.count() - compressedAtStart,
                        archive.locationOf(path == null ? EntryNames.escape(entry.getName()) : path),
                        archive);
                if (path == null) {
                    visitor.unscannable(new Unscannable(guard.location, "entry name is not valid UTF-8; skipped"));
                } else if (!entry.isDirectory()) {
                    String unsafe = EntryNames.unsafeReason(path);
                    if (unsafe != null) {
                        visitor.unscannable(new Unscannable(guard.location, unsafe + "; skipped"));
                    } else {
                        visitEntry(archive, entries, path, guard, entry.getSize(), parallel);
                    }
                }
                guard.drain();
            }
        } catch (GuardTripped tripped) {
            if (tripped.owner != archive) {
                throw tripped;
            }
            visitor.unscannable(new Unscannable(
                    tripped.location, tripped.getMessage() + "; the rest of " + archive.location() + " was not read"));
        } catch (TotalLimitExceeded e) {
            throw e;
        } catch (EOFException e) {
            visitor.unscannable(new Unscannable(archive.location(), "corrupt archive: truncated"));
        } catch (IOException | RuntimeException e) {
            visitor.unscannable(new Unscannable(archive.location(), "corrupt archive: " + e.getMessage()));
        } finally {
            try {
                awaitAll(parallel);
            } finally {
                entries.leave();
            }
        }
    }

    /**
     * One entry of an archive read as a stream or of a directory. A nested archive is held in memory when it fits,
     * then read through its central directory; {@code parallel}, when given, receives it as a task for a worker.
     */
    private void visitEntry(
            Archive archive,
            EntryVisitor entries,
            String path,
            EntryGuard guard,
            long declaredSize,
            List<Future<?>> parallel)
            throws IOException {
        InputStream content = guard;
        if (isArchiveName(path)) {
            BufferedInputStream peek = new BufferedInputStream(guard, BUFFER_BYTES);
            if (startsLikeZip(peek)) {
                Archive nested = archive.nested(path);
                if (isTooDeep(nested, guard.location)) {
                    return;
                }
                HeldArchive held = hold(peek, declaredSize, parallel != null);
                if (held.complete() && parallel != null) {
                    parallel.add(workers.submit(() -> {
                        try {
                            walkHeld(held, nested);
                        } finally {
                            held.release();
                        }
                        return null;
                    }));
                    return;
                }
                walkHeldOrStream(held, nested);
                return;
            }
            content = peek;
        }
        entries.entry(path, entries.wantsContent(path) ? readInspected(content, guard.location) : null);
    }

    /**
     * Reads an archive through its central directory: only the entries the visitor wants are inflated, the
     * {@code META-INF/} entries first. The archives directly inside the package go to the workers.
     */
    private void walkRandomly(ZipFile zip, Archive archive) throws IOException {
        EntryVisitor entries = visitor.enter(archive);
        List<Future<?>> parallel = archive.depth() == 0 ? new ArrayList<>() : null;
        try {
            int count = 0;
            List<ZipArchiveEntry> all = metadataFirst(zip);
            entries.names(all.stream()
                    .limit(limits.maxEntriesPerArchive())
                    .map(e -> EntryNames.decode(new String(e.getRawName(), StandardCharsets.ISO_8859_1)))
                    .filter(Objects::nonNull)
                    .toList());
            for (ZipArchiveEntry entry : all) {
                if (++count > limits.maxEntriesPerArchive()) {
                    visitor.unscannable(new Unscannable(
                            archive.location(),
                            "more than " + limits.maxEntriesPerArchive() + " entries; the rest was not read"));
                    return;
                }
                String stored = new String(entry.getRawName(), StandardCharsets.ISO_8859_1);
                String path = EntryNames.decode(stored);
                String location = archive.locationOf(path == null ? EntryNames.escape(stored) : path);
                if (path == null) {
                    visitor.unscannable(new Unscannable(location, "entry name is not valid UTF-8; skipped"));
                    continue;
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String unsafe = EntryNames.unsafeReason(path);
                if (unsafe != null) {
                    visitor.unscannable(new Unscannable(location, unsafe + "; skipped"));
                } else if (!isInflatable(zip, entry)) {
                    visitor.unscannable(new Unscannable(
                            location,
                            "compression method " + entry.getMethod() + " or encryption is not supported; skipped"));
                } else {
                    visitRandomEntry(zip, entry, archive, entries, path, location, parallel);
                }
            }
        } finally {
            try {
                awaitAll(parallel);
            } finally {
                entries.leave();
            }
        }
    }

    private void visitRandomEntry(
            ZipFile zip,
            ZipArchiveEntry entry,
            Archive archive,
            EntryVisitor entries,
            String path,
            String location,
            List<Future<?>> parallel)
            throws IOException {
        try {
            if (isArchiveName(path) && startsLikeZip(zip, entry)) {
                Archive nested = archive.nested(path);
                if (isTooDeep(nested, location)) {
                    return;
                }
                if (parallel == null) {
                    walkNestedEntry(zip, entry, archive, nested, location, false);
                } else {
                    parallel.add(workers.submit(() -> {
                        walkNestedEntry(zip, entry, archive, nested, location, true);
                        return null;
                    }));
                }
                return;
            }
            if (!entries.wantsContent(path)) {
                entries.entry(path, null);
                return;
            }
            byte[] content;
            try (InputStream in = guardedEntry(zip, entry, location, archive)) {
                content = readInspected(in, location);
            }
            entries.entry(path, content);
        } catch (GuardTripped tripped) {
            visitor.unscannable(new Unscannable(tripped.location, tripped.getMessage() + "; skipped"));
        } catch (TotalLimitExceeded e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            visitor.unscannable(new Unscannable(location, "corrupt archive: " + e.getMessage()));
        }
    }

    /** A nested archive read from its parent's central directory; {@code mayWait} for room to hold it. */
    private void walkNestedEntry(
            ZipFile zip, ZipArchiveEntry entry, Archive parent, Archive nested, String location, boolean mayWait)
            throws IOException {
        try (InputStream in = guardedEntry(zip, entry, location, parent)) {
            HeldArchive held = hold(in, entry.getSize(), mayWait);
            walkHeldOrStream(held, nested);
        } catch (GuardTripped tripped) {
            if (tripped.owner != parent) {
                throw tripped;
            }
            visitor.unscannable(new Unscannable(tripped.location, tripped.getMessage() + "; skipped"));
        } catch (TotalLimitExceeded e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            visitor.unscannable(new Unscannable(location, "corrupt archive: " + e.getMessage()));
        }
    }

    private void walkHeldOrStream(HeldArchive held, Archive nested) throws IOException {
        try {
            if (held.complete()) {
                walkHeld(held, nested);
            } else {
                walkZip(held.stream(), nested);
            }
        } finally {
            held.release();
        }
    }

    /** An archive held in memory: through its central directory when it has a readable one, else as a stream. */
    private void walkHeld(HeldArchive held, Archive archive) throws IOException {
        ZipFile zip = openRandomly(held.channel(), false);
        if (zip == null) {
            walkZip(held.stream(), archive);
            return;
        }
        try (zip) {
            walkRandomly(zip, archive);
        }
    }

    /**
     * The archive behind a channel, its central directory read; null (the channel closed) when it does not start like
     * a zip, has no readable central directory, or one larger than {@link ArchiveLimits#MAX_CENTRAL_DIRECTORY_BYTES}.
     *
     * @param sharedByWorkers whether several threads will read entries at once: then where each entry's data starts is
     *     found from its local header now, because finding it later moves the channel's position under other readers
     */
    private ZipFile openRandomly(SeekableByteChannel channel, boolean sharedByWorkers) throws IOException {
        try {
            ByteBuffer magic = ByteBuffer.allocate(4);
            while (magic.hasRemaining() && channel.read(magic) >= 0) {
                // fill
            }
            long span = CentralDirectory.span(channel);
            if (!isZipMagic(magic.array(), magic.position()) || span < 0 || span > limits.maxCentralDirectoryBytes()) {
                channel.close();
                return null;
            }
            channel.position(0);
            // Names are decoded by EntryNames from their raw bytes, so the charset only has to accept every byte.
            return ZipFile.builder()
                    .setSeekableByteChannel(channel)
                    .setCharset(StandardCharsets.ISO_8859_1)
                    .setUseUnicodeExtraFields(false)
                    .setIgnoreLocalFileHeader(!sharedByWorkers)
                    .get();
        } catch (IOException | RuntimeException unreadable) {
            channel.close();
            return null;
        }
    }

    private static List<ZipArchiveEntry> metadataFirst(ZipFile zip) {
        List<ZipArchiveEntry> metadata = new ArrayList<>();
        List<ZipArchiveEntry> rest = new ArrayList<>();
        for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
            (entry.getName().startsWith("META-INF/") ? metadata : rest).add(entry);
        }
        metadata.addAll(rest);
        return metadata;
    }

    /** Stored or deflated (what the stream reader reads too), and not encrypted. */
    private static boolean isInflatable(ZipFile zip, ZipArchiveEntry entry) {
        return (entry.getMethod() == ZipEntry.STORED || entry.getMethod() == ZipEntry.DEFLATED)
                && zip.canReadEntryData(entry);
    }

    private EntryGuard guardedEntry(ZipFile zip, ZipArchiveEntry entry, String location, Archive owner)
            throws IOException {
        InputStream in = zip.getInputStream(entry);
        LongSupplier compressedSoFar =
                in instanceof InputStreamStatistics statistics ? statistics::getCompressedCount : null;
        return new EntryGuard(in, compressedSoFar, location, owner);
    }

    private static boolean startsLikeZip(ZipFile zip, ZipArchiveEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] magic = in.readNBytes(4);
            return isZipMagic(magic, magic.length);
        }
    }

    private boolean isTooDeep(Archive nested, String location) {
        if (nested.depth() <= limits.maxNestingDepth()) {
            return false;
        }
        visitor.unscannable(
                new Unscannable(location, "nested deeper than " + limits.maxNestingDepth() + " archives; not opened"));
        return true;
    }

    /** Waits for the tasks of the package's nested archives; rethrows the first failure once all have ended. */
    private static void awaitAll(List<Future<?>> tasks) throws IOException {
        if (tasks == null) {
            return;
        }
        Throwable failure = null;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? new InterruptedIOException("interrupted") : failure;
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        } else if (failure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure instanceof Error error) {
            throw error;
        }
    }

    /**
     * Reads a nested archive into memory when it fits {@link ArchiveLimits#MAX_HELD_ARCHIVE_BYTES} and the room left
     * in {@link ArchiveLimits#HELD_ARCHIVES_BYTES}; otherwise what was read so far, followed by the rest, as a stream.
     *
     * @param mayWait whether to wait for room (only a caller that holds no buffer may wait)
     */
    private HeldArchive hold(InputStream in, long declaredSize, boolean mayWait) throws IOException {
        int limit = Math.min(limits.maxHeldArchiveBytes(), limits.heldArchivesBytes());
        int first = declaredSize < 0 ? BUFFER_BYTES : (int) Math.min(declaredSize, limit + 1L);
        byte[] bytes = first > limit ? null : buffers.take(first, mayWait);
        if (bytes == null) {
            return new HeldArchive(null, 0, in);
        }
        PushbackInputStream source = new PushbackInputStream(in, 1);
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                int next = source.read();
                if (next < 0) {
                    break;
                }
                source.unread(next);
                byte[] larger = bytes.length >= limit ? null : buffers.take(Math.min(limit, 2 * bytes.length), false);
                if (larger == null) {
                    return new HeldArchive(bytes, length, source);
                }
                System.arraycopy(bytes, 0, larger, 0, length);
                buffers.give(bytes);
                bytes = larger;
            }
            int n = source.read(bytes, length, bytes.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        return new HeldArchive(bytes, length, null);
    }

    /**
     * A nested archive read into memory, in a buffer of the pool until released.
     *
     * @param bytes null when there was no room to hold any of it
     * @param rest null when the whole archive is in {@code bytes}; else the rest of it, still to be read
     */
    private final class HeldArchive {
        private final byte[] bytes;
        private final int length;
        private final InputStream rest;
        private boolean released;

        HeldArchive(byte[] bytes, int length, InputStream rest) {
            this.bytes = bytes;
            this.length = length;
            this.rest = rest;
        }

        boolean complete() {
            return rest == null;
        }

        SeekableInMemoryByteChannel channel() {
            SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel(bytes);
            channel.truncate(length);
            return channel;
        }

        InputStream stream() {
            if (bytes == null) {
                return rest;
            }
            ByteArrayInputStream head = new ByteArrayInputStream(bytes, 0, length);
            return rest == null ? head : new SequenceInputStream(head, rest);
        }

        synchronized void release() {
            if (!released && bytes != null) {
                released = true;
                buffers.give(bytes);
            }
        }
    }

    private byte[] readInspected(InputStream in, String location) throws IOException {
        byte[] bytes = in.readNBytes(limits.maxInspectedEntryBytes() + 1);
        if (bytes.length > limits.maxInspectedEntryBytes()) {
            visitor.unscannable(new Unscannable(
                    location,
                    "larger than " + limits.maxInspectedEntryBytes() + " bytes; its content was not inspected"));
            return null;
        }
        return bytes;
    }

    private static boolean isArchiveName(String path) {
        for (String extension : ARCHIVE_EXTENSIONS) {
            if (path.regionMatches(true, path.length() - extension.length(), extension, 0, extension.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsLikeZip(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        return isZipMagic(magic, magic.length);
    }

    private static boolean isZipMagic(byte[] magic, int length) {
        return length >= 4
                && magic[0] == 'P'
                && magic[1] == 'K'
                && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
    }

    private void countInflated(long bytes) throws TotalLimitExceeded {
        if (totalInflated.addAndGet(bytes) > limits.maxTotalInflatedBytes()) {
            throw new TotalLimitExceeded(
                    "inflates to more than " + limits.maxTotalInflatedBytes() + " bytes; scanning stopped");
        }
    }

    /** The content of one entry, counted against the total and checked for its compression ratio as it is read. */
    private final class EntryGuard extends FilterInputStream {
        private final LongSupplier compressedSoFar;
        private final String location;
        private final Archive owner;
        private long inflated;

        /** @param compressedSoFar the compressed bytes of this entry read so far; null when it is not compressed */
        EntryGuard(InputStream in, LongSupplier compressedSoFar, String location, Archive owner) {
            super(in);
            this.compressedSoFar = compressedSoFar;
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
                if (compressedSoFar != null && inflated > limits.ratioGraceBytes()) {
                    long packed = Math.max(1, compressedSoFar.getAsLong());
                    if (inflated > packed * limits.maxCompressionRatio()) {
                        throw new GuardTripped(
                                owner,
                                location,
                                "compression ratio above "
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
            byte[] discard = DISCARD.get();
            int read = n <= 0 ? 0 : read(discard, 0, (int) Math.min(discard.length, n));
            return Math.max(read, 0);
        }

        /** Reads the rest of the entry through the checks, so no byte is inflated unchecked. */
        void drain() throws IOException {
            byte[] discard = DISCARD.get();
            while (read(discard, 0, discard.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() throws IOException {
            // The stream of an archive read as a stream stays open for its next entry.
            if (!(in instanceof ZipInputStream)) {
                in.close();
            }
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
