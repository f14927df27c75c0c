package io.warden.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Future;

/**
 * How the launcher reaches the agent in the agent's own class loader without reflection (which spins method handles
 * at start-up on newer JDKs): the agent's main class registers an instance while it initializes. Only the first
 * registration counts, and the launcher reads it before the function's code runs.
 */
public abstract class AgentEntry {

    private static volatile AgentEntry registered;

    protected AgentEntry() {}

    public static void register(AgentEntry entry) {
        if (registered == null) {
            registered = entry;
        }
    }

    static AgentEntry registered() {
        return registered;
    }

    /**
     * @param agentJar the jar the agent was loaded from: the default policy lies beside it
     * @param version the agent's version, or null in a development build
     * @param javaLangOpened done once {@code java.lang} is open to the agent's class loader, which the gate's definition
     *     needs; the launcher opens it on another thread while this one reads the agent's classes
     */
    public abstract void start(Instrumentation instrumentation, String arguments, long startedNanos, File agentJar,
            String version, Future<?> javaLangOpened) throws Exception;
}
