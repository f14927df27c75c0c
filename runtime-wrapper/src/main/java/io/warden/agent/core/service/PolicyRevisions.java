package io.warden.agent.core.service;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The highest policy revision this execution environment has enforced, per function: a file in {@code /tmp}, which on
 * Lambda belongs to one execution environment, outlives a restart of the function's JVM in it (after a crash or a
 * runtime exit) and starts empty in a new one. A restarted JVM therefore refuses a policy older than one its
 * environment already enforced. A new environment has seen nothing: there the signature's expiry bounds how old a
 * replayed policy can be.
 *
 * <p>The function can write {@code /tmp}, so the file is in the built-in deny set ({@code /tmp/.warden-policy-revision-*},
 * under the files section's {@code denyMode}): in block mode the function can neither lower, remove nor replace it. It
 * is written before the function's code runs, to a new file renamed over the old, so a link left in its place is
 * replaced, not followed.
 */
final class PolicyRevisions {

    static final String DIRECTORY = "/tmp";
    static final String FILE_PREFIX = ".warden-policy-revision-";

    private final File file;

    PolicyRevisions(File directory, String encodedFunction) {
        this.file = new File(directory, FILE_PREFIX + encodedFunction);
    }

    /**
     * The highest revision recorded, or -1 when none is.
     *
     * @throws IOException when the record is there but is not one this class wrote (it never writes a partial one)
     */
    long highest() throws IOException {
        if (!file.exists()) {
            return -1;
        }
        try (FileInputStream in = new FileInputStream(file)) {
            return Long.parseLong(new String(in.readNBytes(32), StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException unreadable) {
            throw new IOException(file + " holds no revision");
        }
    }

    /** Records the revision; false when it could not be written. */
    boolean record(long revision) {
        File written = new File(file.getPath() + "." + System.nanoTime());
        try (FileOutputStream out = new FileOutputStream(written)) {
            out.write((revision + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException unwritable) {
            written.delete();
            return false;
        }
        if (!written.renameTo(file)) {
            written.delete();
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return file.getPath();
    }
}
