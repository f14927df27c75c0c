package io.warden.agent.core.gate;

import java.lang.invoke.MethodHandle;

/**
 * The one class Warden places inside {@code java.base}, renamed to {@value GateInstaller#GATE_CLASS}: code woven into
 * JDK classes can only call classes the boot loader sees. Every hook calls {@link #check}; the gate forwards to the
 * agent's module through a method handle that only that module can set ({@code java.lang} is opened to it alone).
 * Until then, and if the agent never starts, every check passes.
 */
public final class WardenGate {

    /** {@code (int hook, Object subject, Object argument, int flags) -> boolean}. */
    private static volatile MethodHandle enforcer;

    private WardenGate() {}

    /**
     * Returns whether the hooked operation may proceed. A blocked operation either throws the exception its API declares
     * (thrown by the enforcer, passed through unchanged) or returns false for hooks whose API reports failure by value.
     */
    public static boolean check(int hook, Object subject, Object argument, int flags) throws Throwable {
        MethodHandle target = enforcer;
        return target == null || (boolean) target.invokeExact(hook, subject, argument, flags);
    }
}
