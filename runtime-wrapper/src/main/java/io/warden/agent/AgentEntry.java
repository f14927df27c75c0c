package io.warden.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Callable;

/**
 * How the launcher reaches the agent in the agent's own class loader without reflection (which spins method handles
 * at start-up on newer JDKs): the agent's main class registers an instance while it initializes. Only the first
 * registration counts, and the launcher takes it, leaving nothing behind, before the function's code runs: this class is
 * on the class path, where reflection reaches every field.
 */
public abstract class AgentEntry {

    private static volatile AgentEntry registered;

    protected AgentEntry() {}

    public static void register(AgentEntry entry) {
        if (registered == null) {
            registered = entry;
        }
    }

    static AgentEntry take() {
        AgentEntry entry = registered;
        registered = null;
        return entry;
    }

    /**
     * @param agentJar the jar the agent was loaded from: the default policy lies beside it
     * @param version the agent's version, or null in a development build
     * @param gateDefinition defines the gate in {@code java.base} when called, once the launcher has opened
     *     {@code java.lang} for it (on another thread, while this one read the agent's classes)
     */
    public abstract void start(
            Instrumentation instrumentation,
            String arguments,
            long startedNanos,
            File agentJar,
            String version,
            Callable<Void> gateDefinition)
            throws Exception;
}
