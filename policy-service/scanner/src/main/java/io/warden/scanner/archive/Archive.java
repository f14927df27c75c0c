package io.warden.scanner.archive;

/**
 * An archive (or directory) being read: the package itself or one nested inside it.
 *
 * @param location where it is, nested names joined with {@code !/} (for example {@code fn.zip!/lib/app.jar})
 * @param fileName its own file name (for example {@code app.jar})
 * @param depth 0 for the package, 1 for an archive inside it, and so on
 */
public record Archive(String location, String fileName, int depth) {

    /** The location of an entry of this archive. */
    public String locationOf(String entryPath) {
        return location.isEmpty() ? entryPath : location + "!/" + entryPath;
    }

    Archive nested(String entryPath) {
        int slash = entryPath.lastIndexOf('/');
        return new Archive(locationOf(entryPath), entryPath.substring(slash + 1), depth + 1);
    }
}
