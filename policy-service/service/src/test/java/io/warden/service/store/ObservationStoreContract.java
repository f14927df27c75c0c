package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.service.store.observations.ObservationLine;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationStore.RecordResult;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedItem;
import io.warden.service.store.observations.ObservedVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    static ObservationLine.Item host(String name, long count, String caller) {
        return new ObservationLine.Item(
                "network", "{\"address\":\"10.0.0.5\",\"host\":\"" + name + "\",\"port\":443}", count, caller);
    }

    static ObservationLine line(String version, Instant time, long dropped, ObservationLine.Item... items) {
        return new ObservationLine("orders", version, time, "r-" + time.toEpochMilli(), dropped, List.of(items));
    }

    @Test
    void mergesItemsPerVersionWithFirstAndLastSeenCountsAndTheLatestCaller() {
        assertThat(observations.record(line("1", T0.plusSeconds(10), 0, host("a.example", 3, "X.first"))))
                .isEqualTo(new RecordResult(1, 0));
        // An older line arriving late moves first seen back and leaves the latest caller alone.
        observations.record(line("1", T0, 2, host("a.example", 1, "X.older"), host("b.example", 1, null)));
        observations.record(line("1", T0.plusSeconds(20), 0, host("a.example", 5, "X.latest")));
        observations.record(line("2", T0.plusSeconds(30), 0, host("a.example", 1, null)));

        List<ObservedItem> v1 = observations.items("orders", "1");
        assertThat(v1).hasSize(2);
        ObservedItem a = v1.stream()
                .filter(i -> i.fields().contains("a.example"))
                .findFirst()
                .orElseThrow();
        assertThat(a.count()).isEqualTo(9);
        assertThat(a.firstSeen()).isEqualTo(T0);
        assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(20));
        assertThat(a.lastCaller()).isEqualTo("X.latest");
        assertThat(a.kind()).isEqualTo("network");
        assertThat(a.fields()).isEqualTo("{\"address\":\"10.0.0.5\",\"host\":\"a.example\",\"port\":443}");
        assertThat(a.key()).isEqualTo(host("a.example", 1, null).key());

        assertThat(observations.items("orders", null)).hasSize(3);
        assertThat(observations.items("orders", "2")).singleElement().satisfies(i -> {
            assertThat(i.count()).isEqualTo(1);
            assertThat(i.lastCaller()).isNull();
        });
        assertThat(observations.items("other", null)).isEmpty();

        assertThat(observations.versions("orders"))
                .containsExactly(
                        new ObservedVersion("1", 3, T0, T0.plusSeconds(20), 2, 0),
                        new ObservedVersion("2", 1, T0.plusSeconds(30), T0.plusSeconds(30), 0, 0));
        assertThat(observations.totals("orders")).contains(new ObservationTotals(3, 2, 0, 0));
        assertThat(observations.totals("other")).isEmpty();
    }

    @Test
    void aFunctionAtItsItemCapStoresNoNewItemButStillMergesKnownOnesAndCountsWhatItRefused() {
        int cap = LIMITS.maxItems();
        int perLine = 20;
        for (int from = 0; from < cap; from += perLine) {
            List<ObservationLine.Item> items = new ArrayList<>();
            for (int i = from; i < from + perLine; i++) {
                items.add(host("h" + i + ".example", 1, null));
            }
            observations.record(new ObservationLine("orders", "1", T0.plusMillis(from), null, 0, items));
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
        assertThat(observations.record(line("new", T0, 0, host("a.example", 1, null), host("b.example", 1, null))))
                .isEqualTo(new RecordResult(0, 2));
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
                .extracting(ObservedItem::count)
                .containsExactlyInAnyOrder((long) lines, 2L * lines);
        assertThat(observations.versions("orders")).singleElement().satisfies(v -> {
            assertThat(v.lines()).isEqualTo(lines);
            assertThat(v.firstSeen()).isEqualTo(T0);
            assertThat(v.lastSeen()).isEqualTo(T0.plusSeconds(lines - 1));
        });
        assertThat(observations.totals("orders")).contains(new ObservationTotals(2, 1, 0, 0));
    }
}
