package io.warden.benchmarks;

import java.io.FileInputStream;
import java.io.IOException;

/**
 * Reads N distinct files that do not exist (each a distinct target for the agent's observation: the check comes before
 * the JDK finds the file missing), then prints the heap in use after garbage collection, in KB, as {@link HeapAfterGc}
 * does: run under the agent with a policy that learns and one that does not, to see what observing N targets holds.
 * Usage: {@code DistinctTargets [N]} (default 10,000).
 */
public final class DistinctTargets {

    private DistinctTargets() {}

    public static void main(String[] arguments) throws InterruptedException {
        int targets = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 10_000;
        int missing = 0;
        for (int i = 0; i < targets; i++) {
            // Names of letters and short digit runs, which the observation keeps as they are.
            try (FileInputStream in = new FileInputStream("/var/warden-bench/target-" + Integer.toString(i, 36))) {
                in.available();
            } catch (IOException absent) {
                missing++;
            }
        }
        System.out.println("distinct targets read: " + targets + " (" + missing + " missing)");
        HeapAfterGc.main(new String[0]);
    }
}
