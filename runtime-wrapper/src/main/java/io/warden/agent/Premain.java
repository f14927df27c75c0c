package io.warden.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point. It only decides whether this JVM is one to protect and hands over; it never
 * throws, so a failure here can never stop the function from starting.
 */
public final class Premain {

    /** Registers itself as the {@link AgentEntry} while it initializes. */
    private static final String AGENT = "io.warden.agent.core.Agent";

    private Premain() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    private static void start(String arguments, Instrumentation instrumentation) {
        long startedNanos = System.nanoTime();
        try {
            if (FunctionJvm.isEnforced()) {
                File agentJar = new File(Premain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Class.forName(AGENT, true, AgentClassLoader.open(agentJar));
                AgentEntry.registered().start(instrumentation, arguments, startedNanos, agentJar,
                        Premain.class.getPackage().getImplementationVersion());
            }
        } catch (Throwable failure) {
            StatusLine.printFailure(failure);
        }
    }
}
