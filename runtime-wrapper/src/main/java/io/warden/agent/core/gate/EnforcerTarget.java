package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;

/** Connects the gate to the enforcer; loaded only once the launcher has defined its superclass. */
public final class EnforcerTarget extends WardenGate.Target {

    private final Enforcer enforcer;

    private EnforcerTarget(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    /** From now on every hook is enforced. Call only once the gate is defined. */
    public static void connect(Enforcer enforcer) {
        WardenGate.connect(new EnforcerTarget(enforcer));
    }

    @Override
    public boolean check(int hook, Object subject, Object argument, int flags) throws Throwable {
        return enforcer.check(hook, subject, argument, flags);
    }
}
