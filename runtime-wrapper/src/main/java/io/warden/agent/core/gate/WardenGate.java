package io.warden.agent.core.gate;

/**
 * The one class Warden places inside {@code java.base}, renamed to {@value GateInstaller#GATE_CLASS} (with its nested
 * {@link Target}): code woven into JDK classes can only call classes the boot loader sees. Every hook calls
 * {@link #check}; the gate forwards to the agent's enforcer through a field that only Warden can set ({@code java.lang}
 * is opened to a module nothing else can reach). Until then, and if the agent never starts, every check passes.
 */
public final class WardenGate {

    private static volatile Target target;

    private WardenGate() {}

    /**
     * Returns whether the hooked operation may proceed. A blocked operation either throws the exception its API declares
     * (thrown by the enforcer, passed through unchanged) or returns false for hooks whose API reports failure by value.
     */
    public static boolean check(int hook, Object subject, Object argument, int flags) throws Throwable {
        Target current = target;
        return current == null || current.check(hook, subject, argument, flags);
    }

    /** What the gate calls: a plain virtual call, which the JIT inlines, rather than a method handle. */
    public abstract static class Target {
        protected Target() {}

        public abstract boolean check(int hook, Object subject, Object argument, int flags) throws Throwable;
    }
}
