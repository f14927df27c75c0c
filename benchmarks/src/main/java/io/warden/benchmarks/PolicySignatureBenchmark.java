package io.warden.benchmarks;

import io.warden.policy.Policy;
import io.warden.policy.PolicySignature;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The agent's check of a served policy's signature, as {@code PolicyFetcher} does it at start-up: the signed message
 * built from the function's name, revision, expiry and body, then an Ed25519 verification with each configured key
 * until one verifies (one key; two during a rotation, the signing key second). Run in {@code SingleShotTime} with a
 * fork per measurement for the cost a cold start pays (class loading and the JDK's Ed25519 set-up included), in
 * {@code AverageTime} for the warm cost.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicySignatureBenchmark {

    private static final String POLICY = "{\"version\":1,\"mode\":\"block\","
            + "\"network\":{\"allow\":[\"*.amazonaws.com:443\",\"10.0.0.0/8\",\"db.internal:5432\"]},"
            + "\"files\":{\"read\":[\"/var/task/**\",\"/opt/**\",\"/tmp/**\"],\"write\":[\"/tmp/**\"]}}";

    /** Made once with the JDK's Ed25519, so that no Ed25519 code runs in a fork before the measured call. */
    private static final String SIGNING_KEY = "MCowBQYDK2VwAyEAf/qUyc3kyTZyot/da15Sq0zMB3SK4c4RVEA/c58e5vw=";

    private static final String SIGNATURE =
            "tl7UH7vrVs5BRa2tivj9vbMN5gjMkDAyR/laH3iQlPstNWH5skGe+dCfzbariw6e736jRZuGCEw/TYbox0xSCg==";
    private static final String OTHER_KEY = "MCowBQYDK2VwAyEAe+cGeRkVzz8sXjcDWcf/jzaTx/4pxAVTHbmIEfClMQE=";

    private byte[] body;
    private byte[] signature;
    private byte[] signingKey;
    private byte[] otherKey;

    @Setup
    public void setUp() throws Exception {
        body = Policy.parse(POLICY, "benchmark").toJson().getBytes(StandardCharsets.UTF_8);
        signature = Base64.getDecoder().decode(SIGNATURE);
        signingKey = Base64.getDecoder().decode(SIGNING_KEY);
        otherKey = Base64.getDecoder().decode(OTHER_KEY);
    }

    private boolean verify(byte[]... keys) throws GeneralSecurityException {
        byte[] message = PolicySignature.message("orders", 1_733_580_000_123L, 1_733_580_900L, body);
        KeyFactory factory = KeyFactory.getInstance(PolicySignature.ALGORITHM);
        for (byte[] key : keys) {
            Signature verifier = Signature.getInstance(PolicySignature.ALGORITHM);
            verifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(key)));
            verifier.update(message);
            if (verifier.verify(signature)) {
                return true;
            }
        }
        throw new IllegalStateException("the signature must verify");
    }

    @Benchmark
    @BenchmarkMode({Mode.SingleShotTime, Mode.AverageTime})
    public boolean oneKey() throws GeneralSecurityException {
        return verify(signingKey);
    }

    @Benchmark
    @BenchmarkMode({Mode.SingleShotTime, Mode.AverageTime})
    public boolean twoKeysSigningKeySecond() throws GeneralSecurityException {
        return verify(otherKey, signingKey);
    }
}
