package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationStore.RecordResult;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ObservationStore} must do; run on SQLite and on DynamoDB (dynalite). */
abstract class ObservationStoreContract {

    static final Instant T0 = Instant.parse("2026-12-07T15:00:00Z");
    /** Small caps, so that reaching them takes few requests; the defaults are the same code with larger numbers. */
    static final ObservationStore.Limits LIMITS = new ObservationStore.Limits(60, 5);

    Store store;
    ObservationStore observations;

    abstract Store newStore();

    @BeforeEach
    void open() {
        store = newStore();
        observations = store.observations();
        assertThat(observations.limits()).isEqualTo(LIMITS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ObservedItem host(String name, long count, String caller) {
        return new ObservedItem.Network("connect", name, "10.0.0.5", 443, count, caller);
    }

    static Observation line(String version, Instant time, long dropped, ObservedItem... items) {
        return observation(version, time, dropped, List.of(items));
    }

    static Observation observation(String version, Instant time, long dropped, List<ObservedItem> items) {
        return new Observation(
                java.util.UUID.randomUUID().toString(),
                "orders",
                version,
                "123456789012",
                "eu-west-1",
                "r-" + time.toEpochMilli(),
                time,
                null,
                dropped,
                items);
    }

    @Test
    void mergesItemsPerVersionWithFirstAndLastSeenCountsAndTheLatestCaller() {
        assertThat(observations.record(line("1", T0.plusSeconds(10), 0, host("a.example", 3, "X.first"))))
                .isEqualTo(new RecordResult(1, 0));
        // An older line arriving late moves first seen back and leaves the latest caller alone.
        observations.record(line("1", T0, 2, host("a.example", 1, "X.older"), host("b.example", 1, null)));
        observations.record(line("1", T0.plusSeconds(20), 0, host("a.example", 5, "X.latest")));
        observations.record(line("2", T0.plusSeconds(30), 0, host("a.example", 1, null)));

        List<StoredItem> v1 = observations.items("orders", "1");
        assertThat(v1).hasSize(2);
        StoredItem a = v1.stream()
                .filter(i -> i.item().key().contains("a.example"))
                .findFirst()
                .orElseThrow();
        assertThat(a.item()).isEqualTo(host("a.example", 9, "X.latest"));
        assertThat(a.firstSeen()).isEqualTo(T0);
        assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(20));
        assertThat(a.version()).isEqualTo("1");

        assertThat(observations.items("orders", null)).hasSize(3);
        assertThat(observations.items("orders", "2"))
                .singleElement()
                .satisfies(i -> assertThat(i.item()).isEqualTo(host("a.example", 1, null)));
        assertThat(observations.items("other", null)).isEmpty();

        assertThat(observations.versions("orders"))
                .containsExactly(
                        new ObservedVersion("1", 3, T0, T0.plusSeconds(20), 2, 0),
                        new ObservedVersion("2", 1, T0.plusSeconds(30), T0.plusSeconds(30), 0, 0));
        assertThat(observations.totals("orders")).contains(new ObservationTotals(3, 2, 0, 0));
        assertThat(observations.totals("other")).isEmpty();
    }

    @Test
    void everyKindIsReadBackAsItWasObserved() {
        List<ObservedItem> all = List.of(
                new ObservedItem.Network("accept", null, "10.0.0.9", 40_000, 1, null),
                new ObservedItem.Dns("orders.example.com", 2, "X.dns"),
                new ObservedItem.File("write", "/tmp/**", 3, null),
                new ObservedItem.Process("/usr/bin/ldd", List.of("--version"), 1, null),
                new ObservedItem.Native("/opt/lib/libx.so", 1, null),
                new ObservedItem.Jndi("java:comp/env/x", 1, null),
                new ObservedItem.Deserialization("com.acme.Order", 1, null),
                new ObservedItem.Aws(
                        "s3",
                        "GetObject",
                        "eu-west-1",
                        Map.of("Bucket", "orders", "Key", "in/"),
                        "AccessDenied",
                        5,
                        "X.s3"));
        assertThat(observations.record(observation("1", T0, 0, all))).isEqualTo(new RecordResult(8, 0));
        assertThat(observations.items("orders", "1"))
                .extracting(StoredItem::item)
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aFunctionAtItsItemCapStoresNoNewItemButStillMergesKnownOnesAndCountsWhatItRefused() {
        int cap = LIMITS.maxItems();
        int perLine = 20;
        for (int from = 0; from < cap; from += perLine) {
            List<ObservedItem> items = new ArrayList<>();
            for (int i = from; i < from + perLine; i++) {
                items.add(host("h" + i + ".example", 1, null));
            }
            observations.record(observation("1", T0.plusMillis(from), 0, items));
        }
        RecordResult past = observations.record(
                line("1", T0.plusSeconds(60), 0, host("h0.example", 1, null), host("new1.example", 1, null)));
        RecordResult otherVersion =
                observations.record(line("2", T0.plusSeconds(61), 0, host("new2.example", 1, null)));

        assertThat(past).isEqualTo(new RecordResult(1, 1));
        assertThat(otherVersion).isEqualTo(new RecordResult(0, 1));
        assertThat(observations.items("orders", null)).hasSize(cap);
        assertThat(observations.totals("orders")).contains(new ObservationTotals(cap, 2, 2, 0));
        assertThat(observations.versions("orders"))
                .extracting(ObservedVersion::refusedItems)
                .containsExactly(1L, 1L);
    }

    @Test
    void aLineOfAVersionPastTheVersionCapIsRefusedWholeAndCounted() {
        for (int v = 0; v < LIMITS.maxVersions(); v++) {
            observations.record(line(Integer.toString(v), T0, 0, host("a.example", 1, null)));
        }
        Observation refused = line("new", T0, 0, host("a.example", 1, null), host("b.example", 1, null));
        assertThat(observations.record(refused)).isEqualTo(new RecordResult(0, 2));
        // Delivered again: refused once, counted once.
        assertThat(observations.record(refused)).isEqualTo(RecordResult.DUPLICATE);
        assertThat(observations.versions("orders")).hasSize(LIMITS.maxVersions());
        assertThat(observations.totals("orders"))
                .contains(new ObservationTotals(LIMITS.maxVersions(), LIMITS.maxVersions(), 2, 1));
        // A known version still merges.
        assertThat(observations.record(line("0", T0, 0, host("a.example", 1, null))))
                .isEqualTo(new RecordResult(1, 0));
    }

    @Test
    void concurrentLinesLoseNoCount() throws Exception {
        int lines = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RecordResult>> results = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                Instant time = T0.plusSeconds(i);
                results.add(pool.submit(() -> observations.record(
                        line("1", time, 0, host("a.example", 1, null), host("b.example", 2, null)))));
            }
            for (Future<RecordResult> result : results) {
                assertThat(result.get()).isEqualTo(new RecordResult(2, 0));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(observations.items("orders", "1"))
                .extracting(stored -> stored.item().count())
                .containsExactlyInAnyOrder((long) lines, 2L * lines);
        assertThat(observations.versions("orders")).singleElement().satisfies(v -> {
            assertThat(v.lines()).isEqualTo(lines);
            assertThat(v.firstSeen()).isEqualTo(T0);
            assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(lines - 1));
        });
        assertThat(observations.totals("orders")).contains(new ObservationTotals(2, 1, 0, 0));
    }

    @Test
    void aLineDeliveredTwiceIsMergedOnce() {
        Observation line = line("1", T0, 3, host("a.example", 4, "X.a"), host("b.example", 1, null));
        assertThat(observations.record(line)).isEqualTo(new RecordResult(2, 0));
        assertThat(observations.record(line)).isEqualTo(RecordResult.DUPLICATE);
        // The same id as another copy would carry it: the service parsed it from a second delivery.
        assertThat(observations.record(line.withId(new String(line.id().toCharArray()))))
                .isEqualTo(RecordResult.DUPLICATE);

        assertThat(observations.items("orders", "1"))
                .extracting(stored -> stored.item().count())
                .containsExactlyInAnyOrder(4L, 1L);
        assertThat(observations.versions("orders")).singleElement().satisfies(v -> {
            assertThat(v.lines()).isEqualTo(1);
            assertThat(v.dropped()).isEqualTo(3);
        });
        assertThat(observations.totals("orders")).contains(new ObservationTotals(2, 1, 0, 0));
    }

    @Test
    void twoLinesWithTheSameItemsButTheirOwnIdsAreBothMerged() {
        assertThat(observations.record(line("1", T0, 0, host("a.example", 4, null))))
                .isEqualTo(new RecordResult(1, 0));
        assertThat(observations.record(line("1", T0, 0, host("a.example", 4, null))))
                .isEqualTo(new RecordResult(1, 0));

        assertThat(observations.items("orders", "1"))
                .singleElement()
                .satisfies(stored -> assertThat(stored.item().count()).isEqualTo(8));
        assertThat(observations.versions("orders"))
                .singleElement()
                .satisfies(v -> assertThat(v.lines()).isEqualTo(2));
    }

    @Test
    void anIdIsTheFunctionsOwnAndALineWithoutOneIsMergedEachTime() {
        Observation orders = line("1", T0, 0, host("a.example", 1, null));
        Observation payments = new Observation(
                orders.id(), "payments", "1", null, null, null, T0, null, 0, List.of(host("a.example", 1, null)));
        observations.record(orders);
        // Another function's line with the same id is its own: one reporter cannot pre-empt another's lines.
        assertThat(observations.record(payments)).isEqualTo(new RecordResult(1, 0));

        Observation old = orders.withId(null);
        assertThat(observations.record(old)).isEqualTo(new RecordResult(1, 0));
        assertThat(observations.record(old)).isEqualTo(new RecordResult(1, 0));
        assertThat(observations.items("orders", "1"))
                .singleElement()
                .satisfies(stored -> assertThat(stored.item().count()).isEqualTo(3));
        assertThat(observations.items("payments", "1"))
                .singleElement()
                .satisfies(stored -> assertThat(stored.item().count()).isEqualTo(1));
    }

    @Test
    void theSameLineDeliveredConcurrentlyIsMergedOnce() throws Exception {
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                Observation line =
                        line("1", T0.plusSeconds(round), 0, host("a.example", 1, null), host("b.example", 2, null));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<RecordResult>> deliveries = new ArrayList<>();
                for (int copy = 0; copy < 2; copy++) {
                    deliveries.add(pool.submit(() -> {
                        start.await();
                        return observations.record(line);
                    }));
                }
                start.countDown();
                List<RecordResult> results = new ArrayList<>();
                for (Future<RecordResult> delivery : deliveries) {
                    results.add(delivery.get(60, TimeUnit.SECONDS));
                }
                assertThat(results)
                        .as("round " + round)
                        .containsExactlyInAnyOrder(new RecordResult(2, 0), RecordResult.DUPLICATE);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(observations.items("orders", "1"))
                .extracting(stored -> stored.item().count())
                .containsExactlyInAnyOrder((long) rounds, 2L * rounds);
        assertThat(observations.versions("orders"))
                .singleElement()
                .satisfies(v -> assertThat(v.lines()).isEqualTo(rounds));
    }
}
