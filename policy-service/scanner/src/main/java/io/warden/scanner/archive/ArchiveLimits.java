package io.warden.scanner.archive;

/**
 * Bounds on what one scan reads, so that hostile packages (zip bombs, endless nesting, millions of entries) cost bounded
 * time and memory. A part of a package beyond a bound is reported as unscannable, never silently skipped.
 * {@link #DEFAULT} holds the named limits; other values serve tests of the limits themselves.
 */
public record ArchiveLimits(
        int maxNestingDepth,
        int maxEntriesPerArchive,
        long maxTotalInflatedBytes,
        int maxCompressionRatio,
        long ratioGraceBytes,
        int maxInspectedEntryBytes,
        int maxHeldArchiveBytes,
        int heldArchivesBytes,
        int maxCentralDirectoryBytes) {

    /** The package itself is depth 0; a jar inside it depth 1; a jar in that jar depth 2. */
    public static final int MAX_NESTING_DEPTH = 5;
    /** Entries read from one archive; the largest real jars hold a few tens of thousands. */
    public static final int MAX_ENTRIES_PER_ARCHIVE = 100_000;
    /** Bytes inflated over the whole scan, at every nesting level (Lambda caps unzipped functions at 250 MB). */
    public static final long MAX_TOTAL_INFLATED_BYTES = 2L << 30;
    /** Inflated size over compressed size of one entry; real class and text files stay far below. */
    public static final int MAX_COMPRESSION_RATIO = 100;
    /** The ratio is enforced once an entry has inflated past this many bytes (tiny entries can compress well). */
    public static final long RATIO_GRACE_BYTES = 1 << 20;
    /** The largest single entry read into memory for inspection (manifests, metadata, classes, text). */
    public static final int MAX_INSPECTED_ENTRY_BYTES = 16 << 20;
    /**
     * The largest nested archive held in memory so that only the entries the scan needs are inflated (through its
     * central directory); a larger one is read as a stream, every entry inflated.
     */
    public static final int MAX_HELD_ARCHIVE_BYTES = 32 << 20;
    /** Bytes of all nested archives held in memory at once, by all the threads of one scan. */
    public static final int HELD_ARCHIVES_BYTES = 64 << 20;
    /**
     * The largest central directory read as a whole (a zip library keeps an object per record); an archive with a
     * larger one is read as a stream, which stops at {@link #MAX_ENTRIES_PER_ARCHIVE}.
     */
    public static final int MAX_CENTRAL_DIRECTORY_BYTES = 4 << 20;

    public static final ArchiveLimits DEFAULT = new ArchiveLimits(
            MAX_NESTING_DEPTH,
            MAX_ENTRIES_PER_ARCHIVE,
            MAX_TOTAL_INFLATED_BYTES,
            MAX_COMPRESSION_RATIO,
            RATIO_GRACE_BYTES,
            MAX_INSPECTED_ENTRY_BYTES,
            MAX_HELD_ARCHIVE_BYTES,
            HELD_ARCHIVES_BYTES,
            MAX_CENTRAL_DIRECTORY_BYTES);
}
