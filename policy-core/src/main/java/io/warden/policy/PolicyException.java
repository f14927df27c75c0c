package io.warden.policy;

/** A policy that cannot be used: where it came from, where in it the problem is, and what the problem is. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String pointer;
    private final String problem;

    /**
     * @param source where the policy came from, e.g. {@code WARDEN_POLICY} or a file path
     * @param pointer JSON pointer of the offending value, {@code ""} for the whole document
     * @param problem what is wrong, including the offending value
     */
    public PolicyException(String source, String pointer, String problem) {
        super(source + ": " + pointer + ": " + problem);
        this.source = source;
        this.pointer = pointer;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    public String pointer() {
        return pointer;
    }

    public String problem() {
        return problem;
    }
}
