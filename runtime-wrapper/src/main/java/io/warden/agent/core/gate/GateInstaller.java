package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/** Defines the gate ({@code WardenGate}) inside {@code java.base} and connects it to the enforcer. */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    /** The gate's class files, compiled as part of {@code java.base}; resources, out of the class path's reach. */
    private static final String GATE_FILES = "META-INF/warden/gate/";
    /** Classes of this package loaded by name: a class literal would load them before the gate exists. */
    private static final String DEFINER = "io.warden.agent.core.gate.GateDefiner";
    private static final String ENFORCER_TARGET = "io.warden.agent.core.gate.EnforcerTarget";

    private GateInstaller() {}

    /** Defines the gate, not yet connected: until {@link Gate#connect} every check passes. */
    public static Gate define(Instrumentation instrumentation) throws Exception {
        Class<?> definer = new IsolatedLoader().define(DEFINER, read(DEFINER.replace('.', '/') + ".class"));
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(definer.getModule())), Set.of(), Map.of());
        definer.getMethod("define", byte[][].class).invoke(null, (Object) new byte[][] {
                read(GATE_FILES + "WardenGate$Target.class"), read(GATE_FILES + "WardenGate.class")});
        return new Gate(definer, Class.forName("java.lang.WardenGate", false, null),
                Class.forName("java.lang.WardenGate$Target", false, null),
                Class.forName(ENFORCER_TARGET, false, GateInstaller.class.getClassLoader()));
    }

    /** The gate defined in {@code java.base}, waiting for its enforcer. */
    public static final class Gate {
        private final Class<?> definer;
        private final Class<?> gate;
        private final Class<?> targetType;
        private final Class<?> enforcerTarget;

        private Gate(Class<?> definer, Class<?> gate, Class<?> targetType, Class<?> enforcerTarget) {
            this.definer = definer;
            this.gate = gate;
            this.targetType = targetType;
            this.enforcerTarget = enforcerTarget;
        }

        /** From now on every hook is enforced. */
        public void connect(Enforcer enforcer) throws ReflectiveOperationException {
            Object target = enforcerTarget.getDeclaredConstructor(Enforcer.class).newInstance(enforcer);
            definer.getMethod("connect", Class.class, Class.class, Object.class).invoke(null, gate, targetType, target);
        }
    }

    /** A class file the agent carries, from the agent's class loader, which holds them in memory. */
    private static byte[] read(String name) throws IOException {
        try (InputStream in = GateInstaller.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the agent");
            }
            return in.readAllBytes();
        }
    }

    /** A class loader used once, for the gate definer, and then dropped. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader() {
            super("warden-gate-definer", ClassLoader.getPlatformClassLoader());
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
