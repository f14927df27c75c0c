package io.warden.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point. It only moves the agent into its own, closed module (see {@link AgentLayer}) and
 * hands over; it never throws, so a failure here can never stop the function from starting.
 */
public final class Premain {

    private static final String ENTRY_CLASS = "io.warden.agent.core.Agent";

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
            if (!FunctionJvm.isEnforced()) {
                return;
            }
            ClassLoader loader = AgentLayer.define(AgentLayer.agentJar()).findLoader(AgentLayer.MODULE);
            Class.forName(ENTRY_CLASS, true, loader)
                    .getMethod("start", Instrumentation.class, String.class, long.class)
                    .invoke(null, instrumentation, arguments, startedNanos);
        } catch (Throwable failure) {
            Throwable cause = failure instanceof java.lang.reflect.InvocationTargetException ? failure.getCause() : failure;
            StatusLine.printFailure(cause);
        }
    }
}
