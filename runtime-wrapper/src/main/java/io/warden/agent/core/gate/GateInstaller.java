package io.warden.agent.core.gate;

import io.warden.agent.core.enforce.Enforcer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/** Defines the gate ({@code WardenGate}) inside {@code java.base} and connects it to the enforcer. */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    private static final String TARGET_CLASS = GATE_CLASS + "$Target";
    /**
     * The classes of this package that are defined at run time, by name: a class literal would load the jar's
     * unrenamed copy (and for the enforcer's target, make its later definition a duplicate).
     */
    private static final String PACKAGE = "io/warden/agent/core/gate/";
    private static final String SOURCE_GATE = PACKAGE + "WardenGate";
    private static final String SOURCE_TARGET = PACKAGE + "WardenGate$Target";
    private static final String ENFORCER_TARGET = PACKAGE + "EnforcerTarget";
    private static final String DEFINER = PACKAGE + "GateDefiner";
    private static final SimpleRemapper INTO_JAVA_LANG = new SimpleRemapper(Map.of(
            SOURCE_GATE, GATE_CLASS,
            SOURCE_TARGET, TARGET_CLASS));

    private GateInstaller() {}

    /**
     * Defines the gate, not yet connected: until {@link Gate#connect} every check passes.
     *
     * @param agentJar the agent's jar, read directly: going through the class loader's resources would load the
     *     jar: URL machinery at every cold start
     */
    public static Gate define(Instrumentation instrumentation, JarFile agentJar) throws Exception {
        Class<?> definer = new IsolatedLoader().define(DEFINER.replace('/', '.'), classFile(agentJar, DEFINER));
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(definer.getModule())), Set.of(), Map.of());
        definer.getMethod("define", byte[][].class).invoke(null,
                (Object) new byte[][] {renamed(agentJar, SOURCE_TARGET), renamed(agentJar, SOURCE_GATE)});
        Class<?> enforcerTarget = MethodHandles.lookup().defineClass(renamed(agentJar, ENFORCER_TARGET));
        return new Gate(definer, Class.forName(GATE_CLASS.replace('/', '.'), false, null),
                Class.forName(TARGET_CLASS.replace('/', '.'), false, null), enforcerTarget);
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

    /** A class of this package with the gate's names moved into {@code java.lang}. */
    private static byte[] renamed(JarFile agentJar, String internalName) throws IOException {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile(agentJar, internalName)).accept(new ClassRemapper(writer, INTO_JAVA_LANG), 0);
        return writer.toByteArray();
    }

    private static byte[] classFile(JarFile agentJar, String internalName) throws IOException {
        JarEntry entry = agentJar.getJarEntry(internalName + ".class");
        if (entry == null) {
            throw new IOException(internalName + ".class is missing from " + agentJar.getName());
        }
        try (InputStream in = agentJar.getInputStream(entry)) {
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
