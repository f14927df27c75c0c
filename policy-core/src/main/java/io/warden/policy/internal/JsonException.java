package io.warden.policy.internal;

/** Input that is not JSON, or exceeds a limit: what is wrong, where (line, column) and at which JSON pointer. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String pointer;
    private final int line;
    private final int column;

    JsonException(String problem, String pointer, int line, int column) {
        super(problem + " (line " + line + ", column " + column + ")");
        this.problem = problem;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** JSON pointer of the value being read when the problem was found, {@code ""} for the document itself. */
    public String pointer() {
        return pointer;
    }

    /** 1-based. */
    public int line() {
        return line;
    }

    /** 1-based, in characters. */
    public int column() {
        return column;
    }
}
