package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} must do; run on SQLite and on DynamoDB (dynalite). */
abstract class StoreContract {

    static final Instant T0 = Instant.parse("2024-05-01T12:00:00.000Z");
    static final Instant RECEIVED = Instant.parse("2024-06-01T00:00:00.000Z");

    Store store;

    abstract Store newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Violation event(String id, String function, Instant time, Category category, Action action, int count) {
        return Violation.builder()
                .id(id)
                .function(function)
                .time(time)
                .category(category)
                .operation("connect")
                .target("evil.example:443")
                .action(action)
                .rule("network.allow (no match)")
                .count(count)
                .requestId("req-" + id)
                .build();
    }

    static Violation blocked(String id, String function, Instant time) {
        return event(id, function, time, Category.NETWORK, Action.BLOCKED, 1);
    }

    static Report report(String function, Violation... events) {
        return new Report(function, "0.1.0", Mode.BLOCK, RECEIVED, List.of(events));
    }

    static ViolationQuery all(int limit) {
        return new ViolationQuery(null, null, null, null, null, limit, null);
    }

    static List<String> functionsAndIds(ViolationPage page) {
        return page.events().stream()
                .map(ViolationJson::parse)
                .map(event -> event.function() + "/" + event.id())
                .toList();
    }

    static List<String> ids(ViolationPage page) {
        return page.events().stream()
                .map(line -> ViolationJson.parse(line).id())
                .toList();
    }

    @Test
    void storesEachEventOnceAndCountsRetriesAsDuplicates() {
        Violation a = blocked("a", "orders", T0);
        Violation b = blocked("b", "orders", T0.plusSeconds(1));
        assertThat(store.ingest(report("orders", a, b))).isEqualTo(new IngestResult(2, 0));
        assertThat(store.ingest(report("orders", a, b, blocked("c", "orders", T0.plusSeconds(2)))))
                .isEqualTo(new IngestResult(1, 2));
        assertThat(store.ingest(report("orders", blocked("d", "orders", T0), blocked("d", "orders", T0))))
                .as("the same id twice in one report")
                .isEqualTo(new IngestResult(1, 1));
        assertThat(ids(store.violations(all(100)))).containsExactly("c", "b", "d", "a");
    }

    @Test
    void anEventIsIdentifiedByItsFunctionAndId() {
        assertThat(store.ingest(report("orders", blocked("a", "orders", T0)))).isEqualTo(new IngestResult(1, 0));
        assertThat(store.ingest(report("billing", blocked("a", "billing", T0))))
                .as("the same id from another function is another event")
                .isEqualTo(new IngestResult(1, 0));
        assertThat(store.ingest(report("billing", blocked("a", "billing", T0.plusSeconds(5)))))
                .as("the same function and id again is a duplicate, whatever else it says")
                .isEqualTo(new IngestResult(0, 1));
        assertThat(functionsAndIds(store.violations(all(10)))).containsExactly("orders/a", "billing/a");
        assertThat(ids(store.violations(new ViolationQuery("billing", null, null, null, null, 10, null))))
                .containsExactly("a");
        assertThat(store.functions())
                .extracting(FunctionRecord::name, FunctionRecord::blocked)
                .containsExactly(tuple("billing", 1L), tuple("orders", 1L));

        ViolationPage first = store.violations(all(1));
        assertThat(functionsAndIds(first)).containsExactly("orders/a");
        assertThat(functionsAndIds(store.violations(new ViolationQuery(
                        null,
                        null,
                        null,
                        null,
                        null,
                        1,
                        ViolationCursor.decode(first.next().encode())))))
                .as("a cursor between two events of the same time and id")
                .containsExactly("billing/a");
    }

    @Test
    void keepsTheEventAsItsCanonicalJsonLine() {
        Violation a = event("a", "orders", T0, Category.FILE, Action.ALERTED, 3).toBuilder()
                .caller("com.example.Handler.handle(Handler.java:42)")
                .coldStart(true)
                .phase(Violation.PHASE_INIT)
                .target("/proc/self/environ \"quoted\"\nnewline")
                .build();
        store.ingest(report("orders", a));
        assertThat(store.violations(all(10)).events()).containsExactly(ViolationJson.toJsonLine(a));
    }

    @Test
    void listsNewestFirstByTimeFunctionThenIdAndPagesWithoutGapsOrRepeats() {
        List<Violation> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Pairs of events at the same millisecond, so functions break ties; the same ids in both functions
            // (and in "order", a prefix of "orders"), so ids break the remaining ones.
            String function = i % 3 == 0 ? "orders" : i % 3 == 1 ? "order" : "billing";
            events.add(blocked(String.format("e%02d", i % 10), function, T0.plusMillis(i / 4)));
        }
        store.ingest(report(
                "orders",
                events.stream().filter(e -> e.function().equals("orders")).toArray(Violation[]::new)));
        for (String function : List.of("order", "billing")) {
            store.ingest(report(
                    function,
                    events.stream().filter(e -> e.function().equals(function)).toArray(Violation[]::new)));
        }
        List<String> expected = events.stream()
                .sorted(Comparator.comparing(Violation::time)
                        .thenComparing(Violation::function)
                        .thenComparing(Violation::id)
                        .reversed())
                .map(e -> e.function() + "/" + e.id())
                .toList();

        List<String> seen = new ArrayList<>();
        ViolationCursor cursor = null;
        int pages = 0;
        do {
            ViolationPage page = store.violations(new ViolationQuery(null, null, null, null, null, 7, cursor));
            seen.addAll(functionsAndIds(page));
            cursor = page.next() == null
                    ? null
                    : ViolationCursor.decode(page.next().encode());
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void aPageThatEndsExactlyAtTheLastEventHasNoNextCursor() {
        store.ingest(report("orders", blocked("a", "orders", T0), blocked("b", "orders", T0.plusSeconds(1))));
        assertThat(store.violations(all(2)).next()).isNull();
        assertThat(store.violations(all(1)).next()).isNotNull();
    }

    @Test
    void filtersByFunctionCategoryActionAndTime() {
        store.ingest(report(
                "orders",
                event("n1", "orders", T0, Category.NETWORK, Action.BLOCKED, 1),
                event("f1", "orders", T0.plusSeconds(10), Category.FILE, Action.ALERTED, 1),
                event("f2", "orders", T0.plusSeconds(20), Category.FILE, Action.BLOCKED, 1)));
        store.ingest(report("billing", event("n2", "billing", T0.plusSeconds(5), Category.NETWORK, Action.ALERTED, 1)));

        assertThat(ids(store.violations(new ViolationQuery("orders", null, null, null, null, 10, null))))
                .containsExactly("f2", "f1", "n1");
        assertThat(ids(store.violations(new ViolationQuery(null, Category.NETWORK, null, null, null, 10, null))))
                .containsExactly("n2", "n1");
        assertThat(ids(store.violations(new ViolationQuery(null, null, Action.ALERTED, null, null, 10, null))))
                .containsExactly("f1", "n2");
        assertThat(ids(store.violations(
                        new ViolationQuery("orders", Category.FILE, Action.BLOCKED, null, null, 10, null))))
                .containsExactly("f2");
        assertThat(ids(store.violations(
                        new ViolationQuery(null, null, null, T0.plusSeconds(5), T0.plusSeconds(20), 10, null))))
                .as("since is inclusive, until exclusive")
                .containsExactly("f1", "n2");
        assertThat(ids(store.violations(new ViolationQuery("billing", Category.FILE, null, null, null, 10, null))))
                .isEmpty();
    }

    static Violation withTarget(Violation event, String target) {
        return event.toBuilder().target(target).build();
    }

    @Test
    void filtersByExactTarget() {
        store.ingest(report(
                "orders",
                withTarget(blocked("a", "orders", T0), "evil.example:443"),
                withTarget(blocked("b", "orders", T0.plusSeconds(1)), "evil.example:4433"),
                withTarget(blocked("c", "orders", T0.plusSeconds(2)), "<script>alert(1)</script>")));
        assertThat(ids(store.violations(
                        new ViolationQuery(null, null, null, "evil.example:443", null, null, 10, null))))
                .containsExactly("a");
        assertThat(ids(store.violations(new ViolationQuery(
                        "orders", null, Action.BLOCKED, "<script>alert(1)</script>", null, null, 10, null))))
                .containsExactly("c");
    }

    @Test
    void summarizesARangeByBucketFunctionAndBlockedTarget() {
        store.ingest(report(
                "orders",
                event("n1", "orders", T0, Category.NETWORK, Action.BLOCKED, 2),
                event("n2", "orders", T0.plusSeconds(3_599), Category.NETWORK, Action.BLOCKED, 1),
                event("f1", "orders", T0.plusSeconds(3_600), Category.FILE, Action.ALERTED, 4),
                withTarget(
                        event("p1", "orders", T0.plusSeconds(7_300), Category.PROCESS, Action.BLOCKED, 1), "/bin/sh"),
                event("old", "orders", T0.minusSeconds(1), Category.NETWORK, Action.BLOCKED, 50),
                event("late", "orders", T0.plusSeconds(3 * 3_600), Category.NETWORK, Action.BLOCKED, 50)));
        store.ingest(
                report("billing", event("b1", "billing", T0.plusSeconds(10), Category.NETWORK, Action.ALERTED, 1)));

        ViolationSummary summary =
                store.summarize(new SummaryQuery(null, T0, T0.plusSeconds(3 * 3_600), Duration.ofHours(1), 10));

        assertThat(summary.blocked())
                .as("counts add up event counts, only within [since, until)")
                .isEqualTo(4);
        assertThat(summary.alerted()).isEqualTo(5);
        assertThat(summary.series())
                .extracting(s -> s.category() + "/" + s.action() + "=" + Arrays.toString(s.counts()))
                .containsExactly(
                        "NETWORK/ALERTED=[1, 0, 0]",
                        "NETWORK/BLOCKED=[3, 0, 0]",
                        "FILE/ALERTED=[0, 4, 0]",
                        "PROCESS/BLOCKED=[0, 0, 1]");
        assertThat(summary.topFunctions())
                .containsExactly(
                        new ViolationSummary.FunctionCount("orders", 4, 4),
                        new ViolationSummary.FunctionCount("billing", 0, 1));
        assertThat(summary.topBlockedTargets())
                .containsExactly(
                        new ViolationSummary.TargetCount("evil.example:443", Category.NETWORK, 3),
                        new ViolationSummary.TargetCount("/bin/sh", Category.PROCESS, 1));

        ViolationSummary billing =
                store.summarize(new SummaryQuery("billing", T0, T0.plusSeconds(3 * 3_600), Duration.ofHours(1), 1));
        assertThat(billing.alerted()).isEqualTo(1);
        assertThat(billing.blocked()).isZero();
        assertThat(billing.topFunctions())
                .extracting(ViolationSummary.FunctionCount::function)
                .containsExactly("billing");
        assertThat(billing.topBlockedTargets()).isEmpty();

        ViolationSummary topOne =
                store.summarize(new SummaryQuery(null, T0, T0.plusSeconds(3 * 3_600), Duration.ofHours(1), 1));
        assertThat(topOne.topFunctions())
                .extracting(ViolationSummary.FunctionCount::function)
                .containsExactly("orders");
        assertThat(topOne.topBlockedTargets())
                .extracting(ViolationSummary.TargetCount::target)
                .containsExactly("evil.example:443");
    }

    @Test
    void filteredPagesSkipNonMatchingEventsWithoutEndingEarly() {
        List<Violation> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event(
                    String.format("e%02d", i),
                    "orders",
                    T0.plusSeconds(i),
                    Category.NETWORK,
                    i % 10 == 0 ? Action.ALERTED : Action.BLOCKED,
                    1));
        }
        store.ingest(report("orders", events.toArray(Violation[]::new)));
        ViolationPage first = store.violations(new ViolationQuery(null, null, Action.ALERTED, null, null, 2, null));
        assertThat(ids(first)).containsExactly("e20", "e10");
        ViolationPage second =
                store.violations(new ViolationQuery(null, null, Action.ALERTED, null, null, 2, first.next()));
        assertThat(ids(second)).containsExactly("e00");
        assertThat(second.next()).isNull();
    }

    @Test
    void listsEventsAcrossMonthsAndYears() {
        store.ingest(report(
                "orders",
                blocked("dec", "orders", Instant.parse("2023-12-31T23:59:59.999Z")),
                blocked("jan", "orders", Instant.parse("2024-01-01T00:00:00.000Z")),
                blocked("mar", "orders", Instant.parse("2024-03-15T00:00:00.000Z"))));
        store.ingest(report("billing", blocked("jun", "billing", Instant.parse("2024-06-15T00:00:00.000Z"))));
        assertThat(ids(store.violations(all(10)))).containsExactly("jun", "mar", "jan", "dec");
        ViolationPage first = store.violations(all(2));
        assertThat(ids(store.violations(new ViolationQuery(null, null, null, null, null, 10, first.next()))))
                .containsExactly("jan", "dec");
        assertThat(ids(store.violations(new ViolationQuery(
                        null,
                        null,
                        null,
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-06-01T00:00:00Z"),
                        10,
                        null))))
                .containsExactly("mar", "jan");
    }

    @Test
    void inventoryHoldsTheLatestReportAndViolationCounts() {
        store.ingest(new Report(
                "orders",
                "0.1.0",
                Mode.ALERT,
                RECEIVED,
                List.of(
                        event("a", "orders", T0, Category.NETWORK, Action.BLOCKED, 2),
                        event("b", "orders", T0, Category.FILE, Action.ALERTED, 5))));
        Instant later = RECEIVED.plusSeconds(60);
        store.ingest(new Report(
                "orders",
                "0.2.0",
                Mode.BLOCK,
                later,
                List.of(
                        event("a", "orders", T0, Category.NETWORK, Action.BLOCKED, 2),
                        event("c", "orders", T0, Category.NETWORK, Action.BLOCKED, 1))));
        store.ingest(new Report("billing", null, null, RECEIVED, List.of()));

        assertThat(store.functions())
                .containsExactly(
                        new FunctionRecord("billing", null, null, RECEIVED, RECEIVED, 0, 0, null),
                        new FunctionRecord("orders", "0.2.0", "block", RECEIVED, later, 3, 5, null));
    }

    @Test
    void scansAreKeptAndTheLatestIsInTheInventory() {
        ScanRecord first = new ScanRecord("s1", "orders", T0, "{\"components\":3}", "{\"components\":[1,2,3]}");
        ScanRecord second =
                new ScanRecord("s2", "orders", T0.plusSeconds(60), "{\"components\":4}", "{\"components\":[1,2,3,4]}");
        store.putScan(first);
        store.putScan(second);
        store.putScan(new ScanRecord("s3", "inventory", T0, "{}", "{}"));

        assertThat(store.scan("s1")).contains(first);
        assertThat(store.scan("s2")).contains(second);
        assertThat(store.scan("nope")).isEmpty();
        assertThat(store.functions())
                .containsExactly(
                        new FunctionRecord(
                                "inventory",
                                null,
                                null,
                                T0,
                                null,
                                0,
                                0,
                                new ScanRecord("s3", "inventory", T0, "{}", null)),
                        new FunctionRecord("orders", null, null, T0, null, 0, 0, second.withoutResult()));

        store.ingest(report("orders", blocked("a", "orders", T0)));
        FunctionRecord orders = store.functions().get(1);
        assertThat(orders.latestScan()).isEqualTo(second.withoutResult());
        assertThat(orders.blocked()).isEqualTo(1);
        assertThat(orders.lastSeen()).isEqualTo(RECEIVED);
    }

    @Test
    void policiesAreReplacedWholeAndTheirRevisionOnlyGrows() {
        assertThat(store.policy("orders")).isEmpty();
        StoredPolicy first = store.putPolicy("orders", "{\"version\":1}", T0);
        assertThat(first.revision()).as("the time of the first change").isEqualTo(T0.toEpochMilli());
        StoredPolicy second = store.putPolicy("orders", "{\"version\":1,\"mode\":\"alert\"}", T0.plusSeconds(1));
        assertThat(second.revision()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
        StoredPolicy clockBehind = store.putPolicy("orders", "{\"version\":1,\"mode\":\"off\"}", T0);
        assertThat(clockBehind.revision())
                .as("a change made with a clock behind still goes up")
                .isEqualTo(second.revision() + 1);
        assertThat(store.policy("orders"))
                .contains(new StoredPolicy("orders", "{\"version\":1,\"mode\":\"off\"}", T0, second.revision() + 1));
        assertThat(store.policy("billing")).isEmpty();
    }

    @Test
    void tokensAreFoundByTheirHash() {
        TokenRecord reporter = new TokenRecord("ab".repeat(32), "reporter", "orders", T0);
        TokenRecord admin = new TokenRecord("cd".repeat(32), "admin", null, T0);
        store.putToken(reporter);
        store.putToken(admin);
        assertThat(store.token("ab".repeat(32))).contains(reporter);
        assertThat(store.token("cd".repeat(32))).contains(admin);
        assertThat(store.token("ef".repeat(32))).isEmpty();
    }

    @Test
    void tokensAreListedOldestFirstKeepTheirExpiryAndLabelAndCanBeDeleted() {
        TokenRecord first = new TokenRecord("ab".repeat(32), "reporter", "*", T0, T0.plusSeconds(3_600), "deploy");
        TokenRecord second = new TokenRecord("cd".repeat(32), "viewer", null, T0.plusSeconds(1));
        store.putToken(second);
        store.putToken(first);
        assertThat(store.tokens()).containsExactly(first, second);
        assertThat(first.id()).isEqualTo("abababababababab");
        assertThat(store.deleteToken(first.sha256Hex())).isTrue();
        assertThat(store.deleteToken(first.sha256Hex())).isFalse();
        assertThat(store.token(first.sha256Hex())).isEmpty();
        assertThat(store.tokens()).containsExactly(second);
    }

    @Test
    void reportsFromManyThreadsAreAllStoredOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<IngestResult>> results = new ArrayList<>();
            for (int r = 0; r < 40; r++) {
                int report = r;
                results.add(threads.submit(() -> store.ingest(report(
                        "orders",
                        blocked("r" + report + "-1", "orders", T0.plusMillis(report)),
                        blocked("r" + (report / 2) + "-shared", "orders", T0)))));
            }
            int accepted = 0;
            int duplicates = 0;
            for (Future<IngestResult> result : results) {
                accepted += result.get().accepted();
                duplicates += result.get().duplicates();
            }
            assertThat(accepted).isEqualTo(60);
            assertThat(duplicates).isEqualTo(20);
        } finally {
            threads.shutdownNow();
        }
        assertThat(store.violations(all(1000)).events()).hasSize(60);
        assertThat(store.functions().get(0).blocked()).isEqualTo(60);
    }

    @Test
    void isHealthy() {
        store.checkHealth();
    }
}
