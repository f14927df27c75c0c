package io.warden.compat;

import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvokeException;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.LocalLambda;
import io.warden.invoke.RuntimeClient;
import io.warden.service.store.Dynalite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cold start of the compatibility matrix's functions on the real Lambda runtime client, without and with the Warden
 * layer (default policy), alternating which goes first: launch to first response (the REPORT line's Init Duration
 * plus the first invocation's Duration) and the warm invocation's Duration, medians over the runs, per function and
 * function JDK. Prints a Markdown table. Arguments: runs; the java homes of the function JVMs, comma-separated.
 * Run by {@code benchmarks/compat-cold-start.sh}.
 */
public final class ColdStartBenchmark {

    private ColdStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        List<Path> javaHomes = Arrays.stream(args[1].split(",")).map(Path::of).toList();
        try (Dynalite dynalite = Dynalite.start();
                S3Fake s3 = S3Fake.start()) {
            Matrix matrix = new Matrix(dynalite.endpoint(), dynalite.client(), s3.endpoint());
            System.out.println("| function | function JDK | launch to first response, without | with Warden | ratio "
                    + "| warm invocation, without | with Warden |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|");
            for (Path javaHome : javaHomes) {
                String jdk = jdkName(javaHome);
                for (Matrix.Stack stack : Matrix.STACKS) {
                    FunctionSpec without = matrix.function(stack)
                            .javaHome(javaHome)
                            .env("AWS_EMF_ENVIRONMENT", "Lambda")
                            .build();
                    FunctionSpec with = matrix.function(stack)
                            .javaHome(javaHome)
                            .layer(RuntimeClient.builtLayer())
                            .build();
                    run(without); // the first launch of each function warms the file system cache
                    List<double[]> plain = new ArrayList<>();
                    List<double[]> warden = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        if (i % 2 == 0) {
                            plain.add(run(without));
                            warden.add(run(with));
                        } else {
                            warden.add(run(with));
                            plain.add(run(without));
                        }
                    }
                    double coldWithout = median(plain, 0);
                    double coldWith = median(warden, 0);
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %s | %.0f ms | %.0f ms | %.2f | %.1f ms | %.1f ms |%n",
                            stack.name(),
                            jdk,
                            coldWithout,
                            coldWith,
                            coldWith / coldWithout,
                            median(plain, 1),
                            median(warden, 1));
                    System.out.flush();
                }
            }
        }
    }

    /** {launch to first response, warm invocation} in milliseconds. */
    private static double[] run(FunctionSpec function) throws InvokeException, IOException, InterruptedException {
        List<byte[]> events = Arrays.stream(Matrix.EVENTS)
                .map(event -> event.getBytes(StandardCharsets.UTF_8))
                .toList();
        InvokeRun run = LocalLambda.invoke(function, events, line -> {});
        if (!run.allSucceeded()) {
            throw new IllegalStateException(function.functionName() + " failed:\n" + String.join("\n", run.log()));
        }
        double first = run.initDuration().toNanos() / 1e6
                + run.results().get(0).duration().toNanos() / 1e6;
        return new double[] {first, run.results().get(1).duration().toNanos() / 1e6};
    }

    private static double median(List<double[]> samples, int index) {
        double[] values =
                samples.stream().mapToDouble(sample -> sample[index]).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String jdkName(Path javaHome) throws IOException {
        Path release = javaHome.resolve("release");
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        return javaHome.toString();
    }
}
