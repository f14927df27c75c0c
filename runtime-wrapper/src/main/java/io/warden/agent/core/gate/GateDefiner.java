package io.warden.agent.core.gate;

import java.lang.invoke.MethodHandles;

/**
 * Defines the gate inside {@code java.lang} and connects it. {@link GateInstaller} loads this class into a class loader
 * of its own and opens {@code java.lang} to that loader's module only: nothing else can ever reach that module, so the
 * opening gives the function no access to {@code java.lang} internals, and the gate's field stays out of its reach.
 */
public final class GateDefiner {

    private GateDefiner() {}

    /** Defines the given classes in {@code java.lang}, in order (a superclass before its subclasses). */
    public static void define(byte[][] classFiles) throws IllegalAccessException {
        MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
        for (byte[] classFile : classFiles) {
            javaLang.defineClass(classFile);
        }
    }

    /** Sets the gate's target, the enforcer; from then on every hook is enforced. */
    public static void connect(Class<?> gate, Class<?> targetType, Object target) throws ReflectiveOperationException {
        MethodHandles.privateLookupIn(gate, MethodHandles.lookup())
                .findStaticVarHandle(gate, "target", targetType)
                .setVolatile(target);
    }
}
