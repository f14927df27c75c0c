package io.warden.agent;

import io.warden.agent.core.Agent;
import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point. It only decides whether this JVM is one to protect and hands over; it never
 * throws, so a failure here can never stop the function from starting.
 */
public final class Premain {

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
                Agent.start(instrumentation, arguments, startedNanos);
            }
        } catch (Throwable failure) {
            StatusLine.printFailure(failure);
        }
    }
}
