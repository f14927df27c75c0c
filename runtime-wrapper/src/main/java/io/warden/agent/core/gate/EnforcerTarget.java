package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;

/**
 * Connects the gate to the enforcer. {@link GateInstaller} defines it at run time with its superclass renamed to the
 * gate's {@code java.lang.WardenGate$Target}; the class in the jar is never loaded as it is.
 */
final class EnforcerTarget extends WardenGate.Target {

    private final Enforcer enforcer;

    EnforcerTarget(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    @Override
    public boolean check(int hook, Object subject, Object argument, int flags) throws Throwable {
        return enforcer.check(hook, subject, argument, flags);
    }
}
