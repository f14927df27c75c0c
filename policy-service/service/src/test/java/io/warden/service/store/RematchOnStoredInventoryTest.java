package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.Rematch;
import io.warden.aws.scan.ScanReport;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an advisory database import, the inventory a scan stored in a persistent store is matched again by a process
 * that did not scan it: no package is downloaded, no AWS API called, and only the findings the new advisories add are
 * new. On SQLite and on DynamoDB (dynalite).
 */
@ExtendWith(Dynalite.Resolver.class)
class RematchOnStoredInventoryTest {

    @TempDir
    Path dbDir;

    @TempDir
    Path dataDir;

    FakeAws aws;
    final List<Finding> announced = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy() throws Exception {
        aws = FakeAws.start(AwsFixtures.HOME);
        String log4j = aws.code(AwsFixtures.log4jFunction());
        aws.home().function(AwsFixtures.REGION, "orders").runtime("java21").code(log4j);
        aws.home().function(AwsFixtures.REGION, "orders-copy").runtime("java21").code(log4j);
        aws.home()
                .function(AwsFixtures.REGION, "reports")
                .runtime("python3.13")
                .code(aws.code(AwsFixtures.plainFunction("reports")));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    void scanThenRematchInAnotherProcess(Supplier<FindingStore> open) throws Exception {
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "first");
                AwsScanner scanner = new AwsScanner(
                        AwsFixtures.settings(aws), aws.credentials(), open.get(), advisories, FindingListener.NONE)) {
            assertThat(scanner.scanAll().failures()).isEmpty();
        }
        int downloads = aws.totalDownloads();
        int calls = aws.calls("ListFunctions") + aws.calls("GetFunction");

        ScanReport report;
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "second")) {
            report = Rematch.run(open.get(), advisories, (function, findings) -> announced.addAll(findings));
        }

        assertThat(aws.totalDownloads()).isEqualTo(downloads);
        assertThat(aws.calls("ListFunctions") + aws.calls("GetFunction")).isEqualTo(calls);
        assertThat(report.failures()).isEmpty();
        assertThat(report.newFindings()).extracting(Finding::rule).containsOnly("GHSA-7rjr-3q55-vv33");
        assertThat(report.newFindings())
                .extracting(Finding::resourceArn)
                .containsExactlyInAnyOrder(
                        aws.home().functionArn(AwsFixtures.REGION, "orders"),
                        aws.home().functionArn(AwsFixtures.REGION, "orders-copy"));
        assertThat(announced).containsExactlyInAnyOrderElementsOf(report.newFindings());
        FindingStore reopened = open.get();
        assertThat(reopened.findings(new FindingQuery("orders", null, null)))
                .extracting(Finding::rule)
                .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-7rjr-3q55-vv33");
        assertThat(reopened.packages())
                .allSatisfy(p -> assertThat(p.databaseImportedAt()).isNotNull());
        try (VulnerabilityStore advisories = VulnerabilityStore.open(dbDir)) {
            assertThat(Rematch.run(reopened, advisories, FindingListener.NONE).newFindings())
                    .isEmpty();
        }
    }

    @Test
    void onSqlite() throws Exception {
        List<SqliteStore> opened = new CopyOnWriteArrayList<>();
        try {
            scanThenRematchInAnotherProcess(() -> {
                opened.forEach(SqliteStore::close);
                SqliteStore store = SqliteStore.open(dataDir);
                opened.add(store);
                return store.findings();
            });
        } finally {
            opened.forEach(SqliteStore::close);
        }
    }

    @Test
    void onDynamoDb(Dynalite dynalite) throws Exception {
        String prefix = Dynalite.newTablePrefix();
        new DynamoDbFindingStore(dynalite.client(), prefix).createTables();

        scanThenRematchInAnotherProcess(() -> new DynamoDbFindingStore(dynalite.client(), prefix));
    }
}
