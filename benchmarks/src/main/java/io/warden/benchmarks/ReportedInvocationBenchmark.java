package io.warden.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One call of a handler that the agent wraps in an invocation scope ({@code _HANDLER} names {@link ViolatingHandler}
 * in the agent's runs) and that has one new violation per invocation: run with and without a policy service
 * ({@code WARDEN_SERVICE_URL}), the difference is what sending the event at the end of the invocation costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReportedInvocationBenchmark {

    private final ViolatingHandler handler = new ViolatingHandler();
    private final BenchmarkHandler.FixedContext context = new BenchmarkHandler.FixedContext();
    private final Map<String, Object> event = Map.of("orderId", 42);

    @Benchmark
    public Map<String, Object> invokeHandler() {
        return handler.handleRequest(event, context);
    }
}
