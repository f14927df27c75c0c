package io.warden.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the hot-path and invocation benchmarks without and with the agent, alternating over several rounds in one run
 * (the machine is noisy), and prints the median of each and the ratio. Usage:
 * {@code WARDEN_POLICY_FILE=benchmarks/hot-path-policy.json _HANDLER=io.warden.benchmarks.BenchmarkHandler
 * java -cp benchmarks/target/benchmarks.jar io.warden.benchmarks.Comparison <agent jar> [rounds [benchmark regex
 * [second policy file]]]}. With a second policy file, each round also runs the agent under that policy (its JVMs
 * started through a script that sets {@code WARDEN_POLICY_FILE}), side by side with the first: e.g. the same policy
 * with {@code "learn": true}, to see what observation costs.
 */
public final class Comparison {

    private static final String INCLUDE = "HotPathBenchmark|InvocationScopeBenchmark";

    private Comparison() {}

    public static void main(String[] arguments) throws RunnerException, IOException {
        String agentJar = arguments[0];
        int rounds = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 3;
        String include = arguments.length > 2 ? arguments[2] : INCLUDE;
        String secondJvm = arguments.length > 3 ? jvmWithPolicy(Path.of(arguments[3])) : null;
        Map<String, List<Double>> without = new TreeMap<>();
        Map<String, List<Double>> with = new TreeMap<>();
        Map<String, List<Double>> withSecond = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean agentFirst = round % 2 == 1;
            if (agentFirst) {
                collect(run(include, "-javaagent:" + agentJar, null), with);
                if (secondJvm != null) {
                    collect(run(include, "-javaagent:" + agentJar, secondJvm), withSecond);
                }
                collect(run(include, null, null), without);
            } else {
                collect(run(include, null, null), without);
                if (secondJvm != null) {
                    collect(run(include, "-javaagent:" + agentJar, secondJvm), withSecond);
                }
                collect(run(include, "-javaagent:" + agentJar, null), with);
            }
        }
        System.out.println();
        if (secondJvm == null) {
            System.out.println("| benchmark | without agent (ns/op, median of " + rounds + ") | with agent | ratio |");
            System.out.println("|---|---:|---:|---:|");
        } else {
            System.out.println("| benchmark | without agent (ns/op, median of " + rounds + ") | with agent | ratio "
                    + "| with agent, second policy | ratio | second / first |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        }
        for (String name : without.keySet()) {
            double plain = Statistics.median(without.get(name));
            double agent = Statistics.median(with.get(name));
            System.out.printf("| %s | %.1f | %.1f | %.3f", name, plain, agent, agent / plain);
            if (secondJvm != null) {
                double second = Statistics.median(withSecond.get(name));
                System.out.printf(" | %.1f | %.3f | %.3f", second, second / plain, second / agent);
            }
            System.out.println(" |");
        }
    }

    /** A script that runs this JDK's java with {@code WARDEN_POLICY_FILE} set to the file: JMH's forks inherit it. */
    private static String jvmWithPolicy(Path policy) throws IOException {
        Path script = Files.createTempFile("warden-jvm", ".sh");
        Files.writeString(
                script,
                "#!/bin/sh\nWARDEN_POLICY_FILE='" + policy.toAbsolutePath() + "' exec '"
                        + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        script.toFile().setExecutable(true);
        script.toFile().deleteOnExit();
        return script.toString();
    }

    private static Collection<RunResult> run(String include, String agentOption, String jvm) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1));
        if (agentOption != null) {
            options.jvmArgsAppend(agentOption);
        }
        if (jvm != null) {
            options.jvm(jvm);
        }
        return new Runner(options.build()).run();
    }

    private static void collect(Collection<RunResult> results, Map<String, List<Double>> scores) {
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            scores.computeIfAbsent(
                            name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
                            key -> new ArrayList<>())
                    .add(result.getPrimaryResult().getScore());
        }
    }
}
