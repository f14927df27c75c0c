package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;
import io.warden.agent.core.enforce.LibraryLoader;
import io.warden.agent.core.hooks.HookSelfCheck;
import java.io.File;

/** Connects the gate to the enforcer; loaded only once the launcher has defined its superclass. */
public final class EnforcerTarget extends WardenGate.Target implements HookSelfCheck.RuntimeImage {

    private final Enforcer enforcer;
    /** Made on the first native load, not at start-up. */
    private volatile LibraryLoader libraryLoader;

    private EnforcerTarget(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    /** From now on every hook is enforced. Call only once the gate is defined. */
    public static EnforcerTarget connect(Enforcer enforcer) {
        EnforcerTarget target = new EnforcerTarget(enforcer);
        WardenGate.connect(target);
        return target;
    }

    /** Whether the JDK's runtime image holds this class (internal name, of {@code module}), without loading it. */
    @Override
    public boolean hasClass(String module, String internalName) {
        return inRuntimeImage(module, internalName + ".class");
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
