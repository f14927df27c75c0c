package io.warden.deploy;

import io.warden.aws.fake.FakeAws;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.LocalLambda;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.store.Dynalite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start of the API function on the local runtime (a benchmark, not a test; see docs/benchmarks.md): each run is
 * a new function JVM on the real Lambda runtime client with the function's jar alone, taking one agent report on the
 * template's tables in dynalite, its signing key read at init from a secret of the fake AWS. Prints the init duration (Lambda's {@code Init Duration}: JVM start to the handler's
 * construction) and the first invocation's duration of every run, then their medians.
 *
 * <p>{@code mvn -B -pl policy-service/lambda -am -Pcold-start-benchmark -DskipTests verify [-Dcold-start.jar=JAR]
 * [-Dcold-start.runs=N]}: JAR is another jar with the same handler (for instance an older build), default the one
 * just built.
 */
public final class ApiColdStartBenchmark {

    private ApiColdStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path jar = args.length > 0 && !args[0].isBlank() ? Path.of(args[0]) : ApiFunctionDeployment.builtJar();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Files.createTempDirectory("warden-cold-start");
        List<Duration> inits = new ArrayList<>();
        List<Duration> firsts = new ArrayList<>();
        try (Dynalite dynalite = Dynalite.start();
                FakeAws aws = FakeAws.start("123456789012")) {
            ApiFunctionDeployment deployment = ApiFunctionDeployment.deploy(jar, work, dynalite, aws, "coldstart");
            String token = deployment.reporterToken("orders");
            System.out.printf(
                    "API function cold start: %s (%d bytes), %d runs, %d MB, JDK %s%n",
                    jar,
                    Files.size(jar),
                    runs,
                    deployment.function.build().memoryMb(),
                    System.getProperty("java.version"));
            for (int run = 0; run < runs; run++) {
                String violation = ViolationJson.toJsonLine(Violation.builder()
                        .id("cold-" + run)
                        .function("orders")
                        .time(Instant.parse("2024-05-01T12:00:00Z"))
                        .category(Category.NETWORK)
                        .operation("connect")
                        .target("evil.example:443")
                        .action(Action.BLOCKED)
                        .rule("network.allow (no match)")
                        .build());
                String report = "{\"function\":\"orders\",\"agentVersion\":\"0.1.0\",\"mode\":\"block\",\"events\":["
                        + violation + "]}";
                InvokeRun result = LocalLambda.invoke(
                        deployment.function.build(),
                        List.of(ApiFunctionDeployment.reportEvent(token, report).getBytes(StandardCharsets.UTF_8)),
                        line -> {});
                InvocationResult first = result.results().get(0);
                if (!first.succeeded() || !first.payloadText().contains("\"statusCode\":202")) {
                    throw new IllegalStateException(
                            "run " + run + " failed: " + first.payloadText() + "\n" + String.join("\n", result.log()));
                }
                inits.add(result.initDuration());
                firsts.add(first.duration());
                System.out.printf(
                        "run %2d: init %5d ms, first invocation %5d ms%n",
                        run, result.initDuration().toMillis(), first.duration().toMillis());
            }
        }
        System.out.printf("median: init %d ms, first invocation %d ms%n", median(inits), median(firsts));
    }

    static long median(List<Duration> durations) {
        List<Long> millis = durations.stream().map(Duration::toMillis).sorted().toList();
        return millis.get(millis.size() / 2);
    }
}
