package io.warden.agent.core.invocation;

import io.warden.policy.Action;
import io.warden.policy.Category;

/** One invocation of the handler (or the init phase before the first one), and the violations counted in it. */
public final class Invocation {

    private final String requestId;
    private final String functionVersion;
    private final boolean coldStart;
    private final String account;
    private final int[] blocked = new int[Category.values().length];
    private final int[] alerted = new int[Category.values().length];
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

    public synchronized void count(Category category, Action action) {
        if (action == Action.BLOCKED) {
            blocked[category.ordinal()]++;
        } else if (action == Action.ALERTED) {
            alerted[category.ordinal()]++;
        }
    }

    /** Blocked and alerted counts per category, read and reset at once. */
    public synchronized int[][] takeCounts() {
        int[][] counts = {blocked.clone(), alerted.clone()};
        java.util.Arrays.fill(blocked, 0);
        java.util.Arrays.fill(alerted, 0);
        return counts;
    }
}
