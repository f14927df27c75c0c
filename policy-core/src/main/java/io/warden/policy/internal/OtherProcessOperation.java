package io.warden.policy.internal;

/**
 * A {@code processes.others} entry: what the function may do to a process it did not start, {@code signal}
 * (ProcessHandle.destroy) or {@code inspect} (ProcessHandle.info, another process's command line and user).
 */
public final class OtherProcessOperation implements Rule {
    public static final String SIGNAL = "signal";
    public static final String INSPECT = "inspect";

    private final String text;

    private OtherProcessOperation(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static OtherProcessOperation parse(String text) {
        if (!text.equals(SIGNAL) && !text.equals(INSPECT)) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not an operation on other processes (signal, inspect)");
        }
        return new OtherProcessOperation(text);
    }

    @Override
    public String text() {
        return text;
    }
}
