package io.warden.scanner.archive;

import java.util.List;

/**
 * Receives what {@link ArchiveWalker} reads: one {@link EntryVisitor} per archive, nested ones included. Archives
 * nested in the package are read in parallel, so {@link #enter} and {@link #unscannable} may be called from several
 * threads at once; the entries of one archive are all given, in turn, to its own {@link EntryVisitor} on one thread.
 */
public interface ArchiveVisitor {

    /** Starts an archive; the returned visitor receives its entries and then {@link EntryVisitor#leave()}. */
    EntryVisitor enter(Archive archive);

    /** A part of the package that could not be read, and why. */
    void unscannable(Unscannable finding);

    /**
     * Entries of one archive. Read as a stream, they come in the order they are stored; read through the central
     * directory, the {@code META-INF/} entries (the archive's description of itself) come first, so that what they
     * say can decide which of the other entries need reading at all.
     */
    interface EntryVisitor {
        /**
         * The names of all the archive's entries, before any of them is given to {@link #entry}: called when the
         * archive is read through its central directory, not when it is read as a stream.
         */
        default void names(List<String> paths) {}

        /** Whether {@link #entry} should receive the content of the entry at this path. */
        boolean wantsContent(String path);

        /**
         * One entry (nested archives are walked, not passed here).
         *
         * @param content the bytes when {@link #wantsContent} said so and the entry was within
         *     {@link ArchiveLimits#MAX_INSPECTED_ENTRY_BYTES}; otherwise null
         */
        void entry(String path, byte[] content);

        /** The archive has no more entries (also called when it was cut short). */
        void leave();
    }
}
