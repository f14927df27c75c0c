package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import io.warden.aws.findings.StoredComponent;
import io.warden.scanner.Severity;
import io.warden.scanner.catalog.Ecosystem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FindingStore} must do; run in memory, on SQLite and on DynamoDB (dynalite). A subclass opens a
 * fresh, empty store in {@link #open()} and the same storage again in {@link #reopen()}, as a new process would.
 */
abstract class FindingStoreContract {

    static final Instant SCANNED = Instant.parse("2026-03-01T12:00:00.123456Z");
    static final String ACCOUNT = "111111111111";
    static final String ORDERS_EU = "arn:aws:lambda:eu-west-1:111111111111:function:orders";
    static final String ORDERS_US = "arn:aws:lambda:us-east-1:111111111111:function:orders";
    static final String BILLING = "arn:aws:lambda:eu-west-1:111111111111:function:billing";
    static final String LIBS_LAYER = "arn:aws:lambda:eu-west-1:111111111111:layer:libs:3";
    static final String UNUSED_LAYER = "arn:aws:lambda:eu-west-1:111111111111:layer:other:1";

    /** A store that is empty; called once per test. */
    abstract FindingStore open();

    /** The same storage as the last {@link #open()} or {@link #reopen()}, opened again. */
    abstract FindingStore reopen();

    static Finding finding(String resource, FindingType type, String rule, Severity severity) {
        return new Finding(
                resource, type, rule, severity, "subject of " + rule, "title of " + rule, "remediation of " + rule);
    }

    static FunctionRecord function(String arn, List<String> layers, Finding... findings) {
        String[] parts = arn.split(":");
        return new FunctionRecord(
                arn,
                parts[4],
                parts[3],
                parts[6],
                "java21",
                "sha-" + parts[6],
                layers,
                "alert",
                7,
                List.of(findings),
                SCANNED);
    }

    static LayerRecord layer(String arn, Finding... findings) {
        return new LayerRecord(arn, "sha-layer-" + arn.hashCode(), List.of(findings), SCANNED);
    }

    static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).sorted().toList();
    }

    // ---- packages ---------------------------------------------------------------------------------------------

    @Test
    void packagesAreStoredAndReplacedWhole() {
        FindingStore store = open();
        String resource = PackageRecord.resourceOf("abc");
        PackageRecord first = new PackageRecord(
                "abc",
                List.of(
                        new StoredComponent(
                                Ecosystem.MAVEN,
                                "org.apache.logging.log4j:log4j-core",
                                "2.14.1",
                                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                                "lib/log4j-core-2.14.1.jar"),
                        new StoredComponent(
                                Ecosystem.NPM, "left-pad", null, "pkg:npm/left-pad", "node_modules/left-pad")),
                List.of(
                        finding(resource, FindingType.VULNERABILITY, "GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL),
                        new Finding(
                                resource, FindingType.UNSCANNABLE, "unscannable", Severity.UNKNOWN, null, null, null)),
                SCANNED,
                null);

        assertThat(store.findPackage("abc")).isEmpty();
        store.putPackage(first);
        assertThat(store.findPackage("abc")).contains(first);

        PackageRecord again = new PackageRecord("abc", first.components(), List.of(), SCANNED, SCANNED.plusSeconds(60));
        store.putPackage(again);
        store.putPackage(new PackageRecord("def", List.of(), List.of(), SCANNED, null));
        assertThat(store.findPackage("abc")).contains(again);
        assertThat(store.packages()).extracting(PackageRecord::codeSha256).containsExactlyInAnyOrder("abc", "def");
        assertThat(reopen().findPackage("abc")).contains(again);
    }

    @Test
    void aLargeInventoryIsKeptWholeAndCanShrinkAgain() {
        FindingStore store = open();
        PackageRecord large = FindingFixtures.largePackage("big", 3_000);

        store.putPackage(large);

        assertThat(store.findPackage("big")).contains(large);
        assertThat(store.packages()).containsExactly(large);
        assertThat(reopen().findPackage("big")).contains(large);
        PackageRecord small = FindingFixtures.largePackage("big", 2);
        store = reopen();
        store.putPackage(small);
        assertThat(store.findPackage("big")).contains(small);
        assertThat(store.packages()).containsExactly(small);
    }

    // ---- functions and layers ---------------------------------------------------------------------------------

    @Test
    void aPutAnswersTheFindingsTheStoredEntryDidNotHave() {
        FindingStore store = open();
        Finding url = finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH);
        Finding secret = finding(ORDERS_EU, FindingType.SECRET, "aws-access-key-pair", Severity.CRITICAL);
        Finding runtime = finding(ORDERS_EU, FindingType.POSTURE, "runtime-deprecated", Severity.HIGH);
        FunctionRecord first = function(ORDERS_EU, List.of(LIBS_LAYER), url, secret);

        assertThat(store.putFunction(first)).containsExactly(url, secret);
        assertThat(store.findFunction(ORDERS_EU)).contains(first);
        assertThat(store.putFunction(first)).isEmpty();
        FunctionRecord changed = function(ORDERS_EU, List.of(), secret, runtime);
        assertThat(store.putFunction(changed)).containsExactly(runtime);
        assertThat(store.findFunction(ORDERS_EU)).contains(changed);
        assertThat(store.putFunction(function(ORDERS_EU, List.of(), url, secret, runtime)))
                .as("a finding that went away and came back is new again")
                .containsExactly(url);
        assertThat(store.functions()).extracting(FunctionRecord::functionArn).containsExactly(ORDERS_EU);
    }

    @Test
    void aRemovedFunctionIsForgottenWithItsFindings() {
        FindingStore store = open();
        Finding url = finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH);
        store.putFunction(function(ORDERS_EU, List.of(), url));
        store.putFunction(function(BILLING, List.of()));

        store.removeFunction(ORDERS_EU);
        store.removeFunction("arn:aws:lambda:eu-west-1:111111111111:function:never-stored");

        assertThat(store.findFunction(ORDERS_EU)).isEmpty();
        assertThat(store.functions()).extracting(FunctionRecord::functionArn).containsExactly(BILLING);
        assertThat(store.findings(new FindingQuery("orders", null, null))).isEmpty();
        assertThat(store.putFunction(function(ORDERS_EU, List.of(), url))).containsExactly(url);
    }

    @Test
    void layerVersionsAnswerTheirNewFindingsToo() {
        FindingStore store = open();
        Finding log4j = finding(LIBS_LAYER, FindingType.VULNERABILITY, "GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL);
        Finding key = finding(LIBS_LAYER, FindingType.SECRET, "github-token", Severity.HIGH);

        assertThat(store.findLayer(LIBS_LAYER)).isEmpty();
        assertThat(store.putLayer(layer(LIBS_LAYER, log4j))).containsExactly(log4j);
        assertThat(store.putLayer(layer(LIBS_LAYER, log4j, key))).containsExactly(key);
        assertThat(store.findLayer(LIBS_LAYER)).contains(layer(LIBS_LAYER, log4j, key));
        assertThat(store.layers()).containsExactly(layer(LIBS_LAYER, log4j, key));
        assertThat(store.findFunction(LIBS_LAYER))
                .as("a layer is not a function")
                .isEmpty();
        assertThat(store.findLayer(ORDERS_EU)).isEmpty();
    }

    @Test
    void newFindingsAreNewAcrossRestarts() {
        Finding url = finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH);
        Finding runtime = finding(ORDERS_EU, FindingType.POSTURE, "runtime-deprecated", Severity.HIGH);
        Finding log4j = finding(LIBS_LAYER, FindingType.VULNERABILITY, "GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL);
        FindingStore store = open();
        store.putFunction(function(ORDERS_EU, List.of(LIBS_LAYER), url));
        store.putLayer(layer(LIBS_LAYER, log4j));

        FindingStore again = reopen();

        assertThat(again.findFunction(ORDERS_EU)).contains(function(ORDERS_EU, List.of(LIBS_LAYER), url));
        assertThat(again.putFunction(function(ORDERS_EU, List.of(LIBS_LAYER), url)))
                .isEmpty();
        assertThat(again.putFunction(function(ORDERS_EU, List.of(LIBS_LAYER), url, runtime)))
                .containsExactly(runtime);
        assertThat(again.putLayer(layer(LIBS_LAYER, log4j))).isEmpty();
    }

    // ---- queries ----------------------------------------------------------------------------------------------

    /** orders in two regions, billing; orders (eu) uses the libs layer; another layer is used by none. */
    FindingStore deployed() {
        FindingStore store = open();
        store.putFunction(function(
                ORDERS_EU,
                List.of(LIBS_LAYER),
                finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH),
                finding(ORDERS_EU, FindingType.SECRET, "aws-access-key-pair", Severity.CRITICAL)));
        store.putFunction(function(
                ORDERS_US, List.of(), finding(ORDERS_US, FindingType.POSTURE, "warden-alert-mode", Severity.MEDIUM)));
        store.putFunction(function(
                BILLING,
                List.of(LIBS_LAYER),
                finding(BILLING, FindingType.POSTURE, "runtime-deprecated", Severity.HIGH)));
        store.putLayer(layer(
                LIBS_LAYER,
                finding(LIBS_LAYER, FindingType.VULNERABILITY, "GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL),
                finding(LIBS_LAYER, FindingType.VULNERABILITY, "GHSA-low", Severity.LOW)));
        store.putLayer(layer(UNUSED_LAYER, finding(UNUSED_LAYER, FindingType.SECRET, "github-token", Severity.HIGH)));
        return store;
    }

    @Test
    void aFunctionsNameFindsItInEveryRegionWithItsLayersFindings() {
        FindingStore store = deployed();

        assertThat(rules(store.findings(new FindingQuery("orders", null, null))))
                .containsExactly(
                        "GHSA-jfh8-c2jp-5v3q",
                        "GHSA-low",
                        "aws-access-key-pair",
                        "function-url-public",
                        "warden-alert-mode");
        assertThat(store.functionsNamed("orders"))
                .extracting(FunctionRecord::functionArn)
                .containsExactlyInAnyOrder(ORDERS_EU, ORDERS_US);
        assertThat(store.findings(new FindingQuery("nobody", null, null))).isEmpty();
    }

    @Test
    void anArnFindsOnlyThatFunction() {
        FindingStore store = deployed();

        assertThat(rules(store.findings(new FindingQuery(ORDERS_US, null, null))))
                .containsExactly("warden-alert-mode");
        assertThat(store.findings(new FindingQuery(BILLING, null, null)))
                .extracting(Finding::resourceArn)
                .containsExactlyInAnyOrder(BILLING, LIBS_LAYER, LIBS_LAYER);
        assertThat(store.findings(new FindingQuery(LIBS_LAYER, null, null)))
                .as("a layer's ARN names no function")
                .isEmpty();
    }

    @Test
    void severityIsAMinimumAndTypeIsExact() {
        FindingStore store = deployed();

        assertThat(rules(store.findings(new FindingQuery(null, Severity.HIGH, null))))
                .containsExactly(
                        "GHSA-jfh8-c2jp-5v3q",
                        "aws-access-key-pair",
                        "function-url-public",
                        "github-token",
                        "runtime-deprecated");
        assertThat(rules(store.findings(new FindingQuery(null, null, FindingType.SECRET))))
                .containsExactly("aws-access-key-pair", "github-token");
        assertThat(rules(store.findings(new FindingQuery("orders", Severity.CRITICAL, FindingType.VULNERABILITY))))
                .containsExactly("GHSA-jfh8-c2jp-5v3q");
        assertThat(store.findings(new FindingQuery(null, Severity.CRITICAL, FindingType.POSTURE)))
                .isEmpty();
        assertThat(store.findings(FindingQuery.ALL)).hasSize(7);
    }

    @Test
    void aLayerSharedByTheFunctionsOfOneNameCountsOnce() {
        FindingStore store = deployed();
        String billingUs = "arn:aws:lambda:us-east-1:111111111111:function:billing";
        store.putFunction(function(billingUs, List.of(LIBS_LAYER)));

        assertThat(rules(store.findings(new FindingQuery("billing", null, null))))
                .containsExactly("GHSA-jfh8-c2jp-5v3q", "GHSA-low", "runtime-deprecated");
    }

    // ---- concurrency ------------------------------------------------------------------------------------------

    @Test
    void concurrentPutsOfOneFunctionAnswerEachFindingAsNewOnce() throws Exception {
        FindingStore store = open();
        int writers = 8;
        Finding common = finding(ORDERS_EU, FindingType.POSTURE, "function-url-public", Severity.HIGH);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Finding>>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Finding own = finding(ORDERS_EU, FindingType.SECRET, "secret-" + i, Severity.CRITICAL);
                FunctionRecord record = function(ORDERS_EU, List.of(), common, own);
                String other = "arn:aws:lambda:eu-west-1:111111111111:function:other-" + i;
                puts.add(pool.submit(() -> {
                    start.await();
                    List<Finding> added = new ArrayList<>(store.putFunction(record));
                    store.putFunction(function(other, List.of()));
                    return added;
                }));
            }
            start.countDown();
            List<Finding> announced = new ArrayList<>();
            for (Future<List<Finding>> put : puts) {
                announced.addAll(put.get());
            }

            assertThat(announced.stream().filter(common::equals))
                    .as("the finding every put has")
                    .hasSize(1);
            assertThat(rules(announced)).hasSize(writers + 1).doesNotHaveDuplicates();
            assertThat(store.functions()).hasSize(writers + 1);
            assertThat(store.findFunction(ORDERS_EU).orElseThrow().findings())
                    .hasSize(2)
                    .contains(common);
        } finally {
            pool.shutdownNow();
        }
    }
}
