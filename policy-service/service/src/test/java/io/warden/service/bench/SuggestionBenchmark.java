package io.warden.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a suggested policy costs for a function that reached many S3 buckets: N bucket hosts, each with the S3 call that
 * names its bucket (or without any call: the hosts alone), in a SQLite store, suggested as {@code warden policy
 * suggest} does. The difference between the two is what matching hosts to calls by the SDK's endpoint rules costs.
 * Prints the first suggestion of the JVM (class loading and the rules' first use included) and the median of 10 after
 * 5 warm-up ones. The largest size fills the store's cap of 10,000 items. Run with the {@code suggestion-benchmark}
 * profile (docs/benchmarks.md).
 */
public final class SuggestionBenchmark {
    static final int[] BUCKETS = {10, 1_000, 4_999};
    static final int WARM_UPS = 5;
    static final int RUNS = 10;

    public static void main(String[] args) throws Exception {
        boolean first = true;
        for (int buckets : BUCKETS) {
            for (boolean calls : new boolean[] {true, false}) {
                Path directory = Files.createTempDirectory("warden-suggestion-benchmark");
                try (SqliteStore store = SqliteStore.open(directory)) {
                    seed(store, buckets, calls);
                    if (first) {
                        System.out.printf(
                                "first suggestion of the JVM (%d buckets, calls): %d ms%n",
                                buckets, time(store) / 1_000_000);
                        first = false;
                    }
                    for (int i = 0; i < WARM_UPS; i++) {
                        time(store);
                    }
                    long[] nanos = new long[RUNS];
                    for (int i = 0; i < RUNS; i++) {
                        nanos[i] = time(store);
                    }
                    Arrays.sort(nanos);
                    System.out.printf(
                            "%,6d bucket hosts, %-13s median %,8.1f ms (min %,8.1f, max %,8.1f)%n",
                            buckets,
                            calls ? "with calls:" : "hosts alone:",
                            nanos[RUNS / 2] / 1e6,
                            nanos[0] / 1e6,
                            nanos[RUNS - 1] / 1e6);
                }
            }
        }
    }

    static void seed(SqliteStore store, int buckets, boolean calls) {
        List<ObservedItem> items = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            String bucket = "tenant-" + i + "-exports";
            items.add(new ObservedItem.Network(
                    "connect", bucket + ".s3.eu-west-1.amazonaws.com", "52.218.1.1", 443, 1, null));
            if (calls) {
                items.add(new ObservedItem.Aws(
                        "s3", "PutObject", "eu-west-1", Map.of("Bucket", bucket, "Key", "x/"), null, 1, null));
            }
        }
        items.add(new ObservedItem.Network("connect", "dynamodb.eu-west-1.amazonaws.com", "52.94.1.1", 443, 1, null));
        items.add(
                new ObservedItem.Aws("dynamodb", "GetItem", "eu-west-1", Map.of("TableName", "orders"), null, 1, null));
        for (int from = 0; from < items.size(); from += 500) {
            List<ObservedItem> line = items.subList(from, Math.min(items.size(), from + 500));
            store.observations()
                    .record(new Observation(
                            UUID.randomUUID().toString(),
                            "orders",
                            "1",
                            null,
                            "eu-west-1",
                            "r" + from,
                            Instant.now(),
                            null,
                            0,
                            line));
        }
    }

    /** One suggestion, checked to be the one expected: the time it took, in nanoseconds. */
    static long time(SqliteStore store) {
        long start = System.nanoTime();
        JsonNode suggestion = PolicySuggestion.suggest(store, "orders", null);
        long took = System.nanoTime() - start;
        JsonNode allow = suggestion.at("/policy/network/allow");
        if (!allow.toString().contains("dynamodb.eu-west-1.amazonaws.com:443")) {
            throw new IllegalStateException("unexpected suggestion: " + allow);
        }
        return took;
    }
}
