package io.warden.benchmarks;

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
 * java -cp benchmarks/target/benchmarks.jar io.warden.benchmarks.Comparison <agent jar> [rounds [benchmark regex]]}
 */
public final class Comparison {

    private static final String INCLUDE = "HotPathBenchmark|InvocationScopeBenchmark";

    private Comparison() {}

    public static void main(String[] arguments) throws RunnerException {
        String agentJar = arguments[0];
        int rounds = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 3;
        String include = arguments.length > 2 ? arguments[2] : INCLUDE;
        Map<String, List<Double>> without = new TreeMap<>();
        Map<String, List<Double>> with = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean agentFirst = round % 2 == 1;
            if (agentFirst) {
                collect(run(include, "-javaagent:" + agentJar), with);
                collect(run(include, null), without);
            } else {
                collect(run(include, null), without);
                collect(run(include, "-javaagent:" + agentJar), with);
            }
        }
        System.out.println();
        System.out.println("| benchmark | without agent (ns/op, median of " + rounds + ") | with agent | ratio |");
        System.out.println("|---|---:|---:|---:|");
        for (String name : without.keySet()) {
            double plain = Statistics.median(without.get(name));
            double agent = Statistics.median(with.get(name));
            System.out.printf("| %s | %.1f | %.1f | %.3f |%n", name, plain, agent, agent / plain);
        }
    }

    private static Collection<RunResult> run(String include, String agentOption) throws RunnerException {
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
