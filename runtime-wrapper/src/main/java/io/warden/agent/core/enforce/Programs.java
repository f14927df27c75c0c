package io.warden.agent.core.enforce;

import java.io.File;

/**
 * Finds the program a child process will run, as the JDK's {@code ProcessImpl} does: a path with a '/' from the child's
 * directory; a bare name through the JVM's own {@code PATH} (the JDK searches the parent's, not the child's), whose
 * empty and relative entries are relative to the child's directory, taking the first regular file it may execute.
 */
final class Programs {

    /** The JDK's search path when PATH is not set. */
    private static final String DEFAULT_PATH = ":/bin:/usr/bin";

    private final KernelPaths paths;
    private final String workingDirectory;
    private final String[] searchPath;

    Programs(KernelPaths paths, String workingDirectory, String path) {
        this.paths = paths;
        this.workingDirectory = workingDirectory;
        this.searchPath = (path == null ? DEFAULT_PATH : path).split(":", -1);
    }

    /**
     * @param directory the child's working directory as the JDK passes it, or null for the JVM's
     * @return the program's absolute path, or null when a bare name is found nowhere
     */
    String locate(String program, String directory) {
        String childDirectory = directory == null ? workingDirectory : paths.resolve(directory, workingDirectory);
        if (program.indexOf('/') >= 0) {
            return paths.resolve(program, childDirectory);
        }
        if (program.isEmpty()) {
            return null;
        }
        for (String entry : searchPath) {
            String candidate = paths.resolve((entry.isEmpty() ? "." : entry) + "/" + program, childDirectory);
            File file = new File(candidate);
            if (file.isFile() && file.canExecute()) {
                return candidate;
            }
        }
        return null;
    }
}
