package io.warden.agent.core.gate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Defines the gate ({@code WardenGate} and its {@code Target}) inside {@code java.base} when it initializes. The launcher
 * defines this class alone in a class loader of its own and opens {@code java.lang} to that loader's module and to
 * nothing else; once this has run, nothing refers to that loader or this class any more. The agent's own class loader
 * never gets {@code java.lang}: a class of the agent the function reaches (its objects, a stack walk) is no way in.
 * References only the JDK: its class loader sees nothing else.
 */
final class GateDefiner {

    static final String TARGET_FILE = "META-INF/warden/gate/WardenGate$Target.class";
    static final String GATE_FILE = "META-INF/warden/gate/WardenGate.class";

    static {
        try {
            MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
            javaLang.defineClass(read(TARGET_FILE));
            javaLang.defineClass(read(GATE_FILE));
        } catch (IllegalAccessException | IOException failed) {
            throw new IllegalStateException("the gate could not be defined: " + failed, failed);
        }
    }

    private GateDefiner() {}

    /** The gate's class files come from the launcher's loader, which serves them from the agent's packed entries. */
    private static byte[] read(String name) throws IOException {
        try (InputStream in = GateDefiner.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the agent");
            }
            return in.readAllBytes();
        }
    }
}
