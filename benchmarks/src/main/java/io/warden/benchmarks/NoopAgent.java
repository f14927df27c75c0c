package io.warden.benchmarks;

import java.lang.instrument.Instrumentation;

/** A -javaagent that does nothing: what any agent costs at start-up, against which Warden's own cost is measured. */
public final class NoopAgent {

    private NoopAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        // Intentionally empty.
    }
}
