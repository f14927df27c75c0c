package io.warden.policy;

/**
 * A file operation. {@link #READ} and {@link #LIST} are checked against {@code files.read} (and {@code files.write}: a
 * path allowed for writing is also readable); the others against {@code files.write}.
 */
public enum FileAccess {
    READ("read", false),
    WRITE("write", true),
    DELETE("delete", true),
    RENAME("rename", true),
    MKDIR("mkdir", true),
    LIST("list", false);

    private final String operation;
    private final boolean modifies;

    FileAccess(String operation, boolean modifies) {
        this.operation = operation;
        this.modifies = modifies;
    }

    /** The operation name used in violation events: "read", "write", "delete", "rename", "mkdir", "list". */
    public String operation() {
        return operation;
    }

    /** True when the operation is checked against {@code files.write}. */
    public boolean modifies() {
        return modifies;
    }
}
