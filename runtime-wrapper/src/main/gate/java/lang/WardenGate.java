package java.lang;

/**
 * The one class Warden places inside {@code java.base} (with its nested {@link Target}): code woven into JDK classes can
 * only call classes the boot loader sees. It is compiled as part of {@code java.base} and defined there at run time by
 * the agent's {@code GateDefiner}; the class path never sees it. Every hook calls {@link #check}; the gate forwards
 * to the agent's enforcer through a private field that is set once, by the agent, before the function's code runs.
 * Until then, and if the agent never starts, every check passes.
 */
public final class WardenGate {

    private static volatile Target target;

    private WardenGate() {}

    /**
     * Connects the enforcer, once: the agent does it before the function's code runs, and every later call, from
     * anyone, changes nothing. A direct call rather than reflection, which costs milliseconds at start-up on newer JDKs.
     */
    public static void connect(Target enforcer) {
        if (target == null) {
            target = enforcer;
        }
    }

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
