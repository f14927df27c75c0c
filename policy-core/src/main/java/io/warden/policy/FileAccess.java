package io.warden.policy;

/**
 * A file operation. {@link #READ} and {@link #LIST} are checked against {@code files.read} (and {@code files.write}: a
 * path allowed for writing is also readable); {@link #STAT} against the deny lists only; the others against
 * {@code files.write}.
 */
public enum FileAccess {
    READ("read", false),
    WRITE("write", true),
    DELETE("delete", true),
    RENAME("rename", true),
    MKDIR("mkdir", true),
    LIST("list", false),
    /** Permission, owner, time and extended attribute changes. */
    ATTRIBUTES("attributes", true),
    /** Reading metadata (existence, size, times, attributes): denied only by a deny list, so ordinary checks stay free. */
    STAT("stat", false);

    private final String operation;
    private final boolean modifies;

    FileAccess(String operation, boolean modifies) {
        this.operation = operation;
        this.modifies = modifies;
    }

    /**
     * The operation name used in violation events: "read", "write", "delete", "rename", "mkdir", "list", "attributes",
     * "stat".
     */
    public String operation() {
        return operation;
    }

    /** True when the operation is checked against {@code files.write}. */
    public boolean modifies() {
        return modifies;
    }
}
