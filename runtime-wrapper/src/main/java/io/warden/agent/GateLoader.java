package io.warden.agent;

import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one class loader {@code java.lang} is opened to: it defines a single class, the agent's {@code GateDefiner}, whose
 * initialization defines the gate in {@code java.base}, and nothing else, ever. A module that {@code java.lang} is open
 * to is a way into the JDK for any class in it, and every class of an unnamed module lends its package to anyone who
 * holds it ({@code privateLookupIn}, {@code Lookup.defineClass}); so this loader holds no other class, and once the gate
 * is defined nothing refers to it: {@link #call} drops what it held, and the start-up tasks drop their work.
 */
final class GateLoader extends ClassLoader implements Callable<Void> {

    private static final String DEFINER = "io.warden.agent.core.gate.GateDefiner";
    private static final String DEFINER_FILE = "io/warden/agent/core/gate/GateDefiner.class";
    private static final String GATE_FILES = "META-INF/warden/gate/";
    /** Opening a package takes milliseconds; a launcher that never finishes it leaves the agent without a gate. */
    private static final long OPENING_WAIT_SECONDS = 10;

    /** Where the definer's and the gate's class files come from; dropped once the gate is defined. */
    private AgentClassLoader agentClasses;

    private Future<?> javaLangOpened;

    GateLoader(AgentClassLoader agentClasses) {
        super("warden-gate", ClassLoader.getPlatformClassLoader());
        this.agentClasses = agentClasses;
    }

    void openedBy(Future<?> opening) {
        this.javaLangOpened = opening;
    }

    /** Defines the gate once {@code java.lang} is open to this loader; run by the agent's weaving thread. */
    @Override
    public synchronized Void call() throws Exception {
        try {
            javaLangOpened.get(OPENING_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw new IllegalStateException(
                    "java.lang could not be opened to the agent: " + failed.getCause(), failed.getCause());
        } catch (TimeoutException slow) {
            throw new IllegalStateException(
                    "java.lang was not opened to the agent within " + OPENING_WAIT_SECONDS + " s");
        }
        try {
            Class.forName(DEFINER, true, this);
        } catch (ExceptionInInitializerError failed) {
            throw new IllegalStateException(String.valueOf(failed.getCause()), failed.getCause());
        } finally {
            agentClasses = null;
            javaLangOpened = null;
        }
        return null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.equals(DEFINER)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded != null) {
                return loaded;
            }
            byte[] classFile = read(DEFINER_FILE);
            if (classFile == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, classFile, 0, classFile.length);
        }
    }

    /** Only the gate's class files, for the definer. */
    @Override
    public InputStream getResourceAsStream(String name) {
        AgentClassLoader source = agentClasses;
        return source == null || !name.startsWith(GATE_FILES) ? null : source.getResourceAsStream(name);
    }

    private byte[] read(String name) {
        AgentClassLoader source = agentClasses;
        return source == null ? null : source.takeEntry(name);
    }
}
