package io.warden.scanner.archive;

/** Receives what {@link ArchiveWalker} reads: one {@link EntryVisitor} per archive, nested ones included. */
public interface ArchiveVisitor {

    /** Starts an archive; the returned visitor receives its entries and then {@link EntryVisitor#leave()}. */
    EntryVisitor enter(Archive archive);

    /** A part of the package that could not be read, and why. */
    void unscannable(Unscannable finding);

    /** Entries of one archive, in the order they are stored. */
    interface EntryVisitor {
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
