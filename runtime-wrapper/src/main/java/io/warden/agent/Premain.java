package io.warden.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

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

    /**
     * Opens {@code java.lang} to the gate's one-class loader ({@link GateLoader}), and to nothing else, on a thread of its
     * own: the JVM's first module change costs milliseconds that this thread would otherwise wait for.
     */
    private static StartupTask<Void> openJavaLang(Instrumentation instrumentation, Module gate) {
        StartupTask<Void> opening = new StartupTask<>(new Callable<Void>() {
            @Override
            public Void call() {
                instrumentation.redefineModule(
                        Object.class.getModule(),
                        Set.of(),
                        Map.of(),
                        Map.of("java.lang", Set.of(gate)),
                        Set.of(),
                        Map.of());
                return null;
            }
        });
        Thread thread = new Thread(opening, "warden-open");
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    private static void start(String arguments, Instrumentation instrumentation) {
        long startedNanos = System.nanoTime();
        try {
            if (FunctionJvm.isEnforced()) {
                AgentClassLoader loader = new AgentClassLoader();
                GateLoader gate = new GateLoader(loader);
                gate.openedBy(openJavaLang(instrumentation, gate.getUnnamedModule()));
                File agentJar = new File(Premain.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                loader.readPackedClasses(agentJar);
                Class.forName(AGENT, true, loader);
                AgentEntry.take()
                        .start(
                                instrumentation,
                                arguments,
                                startedNanos,
                                agentJar,
                                Premain.class.getPackage().getImplementationVersion(),
                                gate);
            }
        } catch (Throwable failure) {
            StatusLine.printFailure(failure);
        }
    }
}
