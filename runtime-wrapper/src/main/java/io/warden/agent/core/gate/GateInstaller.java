package io.warden.agent.core.gate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/** Defines {@link WardenGate} inside {@code java.base} and connects it to the enforcer. */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    private GateInstaller() {}

    /**
     * @param enforcer a handle of type {@code (int, Object, Object, int) boolean}
     */
    public static void install(Instrumentation instrumentation, MethodHandle enforcer) throws Exception {
        Class<?> definer = new IsolatedLoader().define(GateDefiner.class.getName(), classFile(GateDefiner.class));
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(definer.getModule())), Set.of(), Map.of());
        definer.getMethod("define", byte[].class, MethodHandle.class).invoke(null, gateClassFile(), enforcer);
    }

    /** The gate's class file, renamed into {@code java.lang}. */
    private static byte[] gateClassFile() throws IOException {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile(WardenGate.class))
                .accept(new ClassRemapper(writer, new SimpleRemapper(WardenGate.class.getName().replace('.', '/'), GATE_CLASS)), 0);
        return writer.toByteArray();
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }

    /** A class loader used once, for {@link GateDefiner}, and then dropped. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader() {
            super("warden-gate-definer", ClassLoader.getPlatformClassLoader());
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }
}
