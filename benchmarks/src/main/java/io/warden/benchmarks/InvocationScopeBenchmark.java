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
 * One call of a handler that the agent wraps in an invocation scope ({@code _HANDLER} names {@link BenchmarkHandler}
 * in the agent's runs): what Warden adds to every invocation that has no violation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InvocationScopeBenchmark {

    private final BenchmarkHandler handler = new BenchmarkHandler();
    private final BenchmarkHandler.FixedContext context = new BenchmarkHandler.FixedContext();
    private final Map<String, Object> event = Map.of("orderId", 42);

    @Benchmark
    public Map<String, Object> invokeHandler() {
        return handler.handleRequest(event, context);
    }
}
