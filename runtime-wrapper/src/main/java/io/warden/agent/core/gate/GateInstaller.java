package io.warden.agent.core.gate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/** Defines the gate ({@code WardenGate}) inside {@code java.base}. */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    /** The gate's class files, compiled as part of {@code java.base}; resources, out of the class path's reach. */
    static final String TARGET_FILE = "META-INF/warden/gate/WardenGate$Target.class";
    static final String GATE_FILE = "META-INF/warden/gate/WardenGate.class";
    /** Loaded by name into a loader of its own: a class literal would load it here. */
    private static final String DEFINER = "io.warden.agent.core.gate.GateDefiner";

    private GateInstaller() {}

    /** Defines the gate, not yet connected: until {@link EnforcerTarget#connect} every check passes. */
    public static void define(Instrumentation instrumentation) throws Exception {
        IsolatedLoader loader = new IsolatedLoader(read(DEFINER.replace('.', '/') + ".class"),
                Map.of(TARGET_FILE, read(TARGET_FILE), GATE_FILE, read(GATE_FILE)));
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(loader.getUnnamedModule())), Set.of(), Map.of());
        try {
            Class.forName(DEFINER, true, loader);
        } catch (ExceptionInInitializerError failed) {
            throw new IllegalStateException(String.valueOf(failed.getCause()), failed.getCause());
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

    /** A class loader used once, for the gate definer and the gate's class files, and then dropped. */
    private static final class IsolatedLoader extends ClassLoader {
        private final byte[] definer;
        private final Map<String, byte[]> gateFiles;

        IsolatedLoader(byte[] definer, Map<String, byte[]> gateFiles) {
            super("warden-gate-definer", ClassLoader.getPlatformClassLoader());
            this.definer = definer;
            this.gateFiles = gateFiles;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(DEFINER)) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, definer, 0, definer.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] file = gateFiles.get(name);
            return file == null ? null : new ByteArrayInputStream(file);
        }
    }
}
