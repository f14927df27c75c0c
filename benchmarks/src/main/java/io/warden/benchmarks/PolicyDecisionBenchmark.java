package io.warden.benchmarks;

import io.warden.policy.Decision;
import io.warden.policy.Environment;
import io.warden.policy.FileAccess;
import io.warden.policy.Policy;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.PolicyException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The policy decision on its own, for an answer already known (the hot path: decisions are cached). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyDecisionBenchmark {

    private static final String POLICY = "{\"version\":1,\"mode\":\"block\","
            + "\"network\":{\"allow\":[\"*.amazonaws.com:443\",\"10.0.0.0/8\",\"db.internal:5432\"],\"deny\":[\"203.0.113.0/24\"]},"
            + "\"files\":{\"read\":[\"/var/task/**\",\"/opt/**\",\"/tmp/**\"],\"write\":[\"/tmp/**\"],\"deny\":[\"/home/**\"]}}";

    private PolicyEvaluator evaluator;
    private InetAddress dynamodb;
    private final String path = "/tmp/cache/session-42.json";

    @Setup
    public void setUp() throws PolicyException, UnknownHostException {
        evaluator = new PolicyEvaluator(Policy.parse(POLICY, "benchmark"), Environment.current());
        dynamodb = InetAddress.getByAddress("dynamodb.us-east-1.amazonaws.com", new byte[] {52, 94, 0, 10});
        evaluator.file(FileAccess.READ, path);
        evaluator.connect("dynamodb.us-east-1.amazonaws.com", dynamodb, 443);
        evaluator.resolve("dynamodb.us-east-1.amazonaws.com");
    }

    @Benchmark
    public Decision fileRead() {
        return evaluator.file(FileAccess.READ, path);
    }

    @Benchmark
    public Decision connect() {
        return evaluator.connect("dynamodb.us-east-1.amazonaws.com", dynamodb, 443);
    }

    @Benchmark
    public Decision resolve() {
        return evaluator.resolve("dynamodb.us-east-1.amazonaws.com");
    }
}
