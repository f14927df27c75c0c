package io.warden.agent.core.enforce;

import java.io.File;

/** The file {@code File.createTempFile} creates, named as the JDK's {@code TempDirectory.generateFile} names it. */
final class TemporaryFiles {

    /** Stands for the random digits the JDK draws for the name only after Warden's check. */
    static final String RANDOM_PART = "*";

    private TemporaryFiles() {}

    /**
     * The path of the file, with {@link #RANDOM_PART} for its random digits; null when the JDK refuses the arguments
     * before it creates anything. Only exact {@link File}s are asked for names and paths: the directory, which may be a
     * subclass of the caller's, is read by the JDK's own constructor, through its private field, as the JDK reads it.
     *
     * @param directory the caller's directory, or the JDK's temporary directory when the caller gave none
     */
    static String created(String prefix, String suffix, File directory) {
        if (prefix == null || prefix.length() < 3 || directory == null) {
            return null;
        }
        // Only the prefix's last name is used, and the name is normalised, as the JDK does.
        String name = new File(new File(prefix).getName() + RANDOM_PART + (suffix == null ? ".tmp" : suffix)).getPath();
        File created = new File(directory, name);
        if (!name.equals(created.getName()) || created.getPath().indexOf('\0') >= 0) {
            return null; // "Unable to create temporary file"
        }
        return created.getPath();
    }
}
