package io.warden.agent.core.gate;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Defines the gate inside {@code java.lang} and connects it. {@link GateInstaller} loads this class into a class loader
 * of its own and opens {@code java.lang} to that loader's module only: nothing else can ever reach that module, so the
 * opening gives the function no access to {@code java.lang} internals, and the gate's field stays out of its reach.
 */
public final class GateDefiner {

    private GateDefiner() {}

    public static void define(byte[] gateClassFile, MethodHandle enforcer) throws ReflectiveOperationException {
        MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
        Class<?> gate = javaLang.defineClass(gateClassFile);
        MethodHandles.privateLookupIn(gate, MethodHandles.lookup())
                .findStaticVarHandle(gate, "enforcer", MethodHandle.class)
                .setVolatile(enforcer);
    }
}
