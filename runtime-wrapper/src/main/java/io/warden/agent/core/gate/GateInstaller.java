package io.warden.agent.core.gate;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;

/** Defines {@link WardenGate} inside {@code java.base} and connects it to the enforcer. */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    private static final String SOURCE_CLASS = WardenGate.class.getName().replace('.', '/');

    private GateInstaller() {}

    /**
     * @param enforcer a handle of type {@code (int, Object, Object, int) boolean}
     */
    public static void install(Instrumentation instrumentation, MethodHandle enforcer) throws Exception {
        Module javaBase = Object.class.getModule();
        Module agent = GateInstaller.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());

        MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
        Class<?> gate = javaLang.defineClass(gateBytes());
        MethodHandles.privateLookupIn(gate, MethodHandles.lookup())
                .findStaticVarHandle(gate, "enforcer", MethodHandle.class)
                .setVolatile(enforcer);
    }

    private static byte[] gateBytes() throws IOException {
        byte[] source;
        try (InputStream in = GateInstaller.class.getResourceAsStream("WardenGate.class")) {
            if (in == null) {
                throw new IOException("WardenGate.class is missing from the agent jar");
            }
            source = in.readAllBytes();
        }
        ClassReader reader = new ClassReader(source);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new SimpleRemapper(SOURCE_CLASS, GATE_CLASS)), 0);
        return writer.toByteArray();
    }
}
