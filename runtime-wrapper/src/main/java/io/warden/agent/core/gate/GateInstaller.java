package io.warden.agent.core.gate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Defines the gate ({@code WardenGate}) inside {@code java.base}. The launcher opens {@code java.lang} to the agent's
 * own class loader, which holds nothing but the agent's classes, so the opening gives the function no access to
 * {@code java.lang} internals; and no method here hands out the lookup it uses.
 */
public final class GateInstaller {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";
    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";

    /** The gate's class files, compiled as part of {@code java.base}; resources, out of the class path's reach. */
    static final String TARGET_FILE = "META-INF/warden/gate/WardenGate$Target.class";
    static final String GATE_FILE = "META-INF/warden/gate/WardenGate.class";
    /** Opening a package takes milliseconds; a launcher that never finishes it leaves the agent without a gate. */
    static final long OPENING_WAIT_SECONDS = 10;

    private GateInstaller() {}

    /** Defines the gate, not yet connected: until {@link EnforcerTarget#connect} every check passes. */
    public static void define(Future<?> javaLangOpened) throws Exception {
        try {
            javaLangOpened.get(OPENING_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("java.lang could not be opened to the agent: " + failed.getCause(),
                    failed.getCause());
        } catch (TimeoutException slow) {
            throw new IllegalStateException("java.lang was not opened to the agent within " + OPENING_WAIT_SECONDS + " s");
        }
        MethodHandles.Lookup javaLang = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
        javaLang.defineClass(read(TARGET_FILE));
        javaLang.defineClass(read(GATE_FILE));
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
}
