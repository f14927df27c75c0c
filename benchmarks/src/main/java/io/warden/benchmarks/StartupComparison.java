package io.warden.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up cost: {@code java Hello}, {@code java -javaagent:noop-agent.jar Hello} and
 * {@code java -javaagent:warden-agent.jar Hello}, launch to exit, alternating in each round; prints medians and
 * differences. The agent's policy comes from the environment (WARDEN_POLICY_FILE). Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.warden.benchmarks.StartupComparison <java> <warden agent jar>
 * <noop agent jar> <hello jar> [runs]}
 */
public final class StartupComparison {

    private StartupComparison() {}

    public static void main(String[] arguments) throws IOException, InterruptedException {
        String java = arguments[0];
        String wardenAgent = arguments[1];
        String noopAgent = arguments[2];
        String classPath = arguments[3];
        int runs = arguments.length > 4 ? Integer.parseInt(arguments[4]) : 20;
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("plain", List.of(java, "-cp", classPath, Hello.class.getName()));
        commands.put("noop agent", List.of(java, "-javaagent:" + noopAgent, "-cp", classPath, Hello.class.getName()));
        commands.put(
                "warden agent", List.of(java, "-javaagent:" + wardenAgent, "-cp", classPath, Hello.class.getName()));
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (String name : commands.keySet()) {
            millis.put(name, new ArrayList<>());
        }
        List<String> names = new ArrayList<>(commands.keySet());
        for (int run = 0; run < runs + 1; run++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((run + i) % names.size());
                double elapsed = launch(commands.get(name));
                if (run > 0) { // the first round warms the file system cache
                    millis.get(name).add(elapsed);
                }
            }
        }
        double plain = Statistics.median(millis.get("plain"));
        double noop = Statistics.median(millis.get("noop agent"));
        double warden = Statistics.median(millis.get("warden agent"));
        System.out.println(System.getProperty("java.version") + " launcher, target " + java);
        System.out.printf(
                "| JVM start to exit, median of %d alternating runs | plain | no-op agent | Warden agent |%n", runs);
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| milliseconds | %.1f | %.1f | %.1f |%n", plain, noop, warden);
        System.out.printf(
                "| Warden above no-op agent: %.1f ms; above plain: %.1f ms; ratio to plain %.2f |||| %n",
                warden - noop, warden - plain, warden / plain);
    }

    private static double launch(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        int exit = process.waitFor();
        double elapsed = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException("exit " + exit + ": " + command);
        }
        return elapsed;
    }
}
