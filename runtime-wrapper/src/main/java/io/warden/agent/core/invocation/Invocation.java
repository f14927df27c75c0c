package io.warden.agent.core.invocation;

/** One invocation of the handler (or the init phase before the first one). */
public final class Invocation {

    private final String requestId;
    private final String functionVersion;
    private final boolean coldStart;
    private final String account;
    int depth = 1;

    Invocation(String requestId, String functionVersion, boolean coldStart, String account) {
        this.requestId = requestId;
        this.functionVersion = functionVersion;
        this.coldStart = coldStart;
        this.account = account;
    }

    public String requestId() {
        return requestId;
    }

    public String functionVersion() {
        return functionVersion;
    }

    /** The account of the invoked function's ARN, or null. */
    public String account() {
        return account;
    }

    public boolean coldStart() {
        return coldStart;
    }
}
