package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;
import io.warden.agent.core.enforce.LibraryLoader;
import java.io.File;

/** Connects the gate to the enforcer; loaded only once the launcher has defined its superclass. */
public final class EnforcerTarget extends WardenGate.Target {

    private final Enforcer enforcer;
    /** Made on the first native load, not at start-up. */
    private volatile LibraryLoader libraryLoader;

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

    @Override
    public Object substitute(int hook, Object subject, Object argument, int flags) throws Throwable {
        LibraryLoader loader = libraryLoader;
        if (loader == null) {
            loader = new GateLibraryLoader();
            libraryLoader = loader;
        }
        return enforcer.substitute(hook, subject, argument, flags, loader);
    }

    /** The gate's library loading, which only the connected target may use. */
    private final class GateLibraryLoader implements LibraryLoader {
        @Override
        public void load(Class<?> caller, File file) {
            loadLibrary(caller, file);
        }
    }
}
