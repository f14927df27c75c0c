package io.warden.agent.core.gate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Defines the gate inside {@code java.lang} while it initializes. {@link GateInstaller} loads this class into a class
 * loader of its own, which also holds the gate's class files, and opens {@code java.lang} to that loader's module only:
 * nothing else can ever reach that module, so the opening gives the function no access to {@code java.lang} internals.
 * Initializing a class, unlike calling it by reflection, spins no method handles.
 */
final class GateDefiner {

    static {
        try {
            MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
            javaLang.defineClass(classFile(GateInstaller.TARGET_FILE));
            javaLang.defineClass(classFile(GateInstaller.GATE_FILE));
        } catch (IllegalAccessException | IOException failed) {
            throw new IllegalStateException("the gate could not be defined in java.lang: " + failed, failed);
        }
    }

    private GateDefiner() {}

    private static byte[] classFile(String name) throws IOException {
        try (InputStream in = GateDefiner.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
