package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.policy.Category;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dataDirectory;

    @Override
    Store newStore() {
        return SqliteStore.open(dataDirectory);
    }

    @Test
    void reopeningTheDirectoryFindsEverything() {
        store.ingest(report("orders", blocked("a", "orders", T0)));
        store.putPolicy("orders", "{\"version\":1}", T0);
        store.close();
        store = SqliteStore.open(dataDirectory);
        assertThat(ids(store.violations(all(10)))).containsExactly("a");
        assertThat(store.policy("orders")).isPresent();
        assertThat(store.functions()).hasSize(1);
    }

    @Test
    void theDatabaseIsInWalMode() throws Exception {
        store.ingest(report("orders", blocked("a", "orders", T0)));
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aStoreFromBeforeTheTargetColumnGetsItFilledFromItsEvents() throws Exception {
        store.ingest(report("orders", withTarget(blocked("a", "orders", T0), "evil.example:443")));
        store.close();
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME));
                Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX violations_summary");
            statement.execute("ALTER TABLE violations DROP COLUMN target");
            statement.execute("PRAGMA user_version = 0");
        }
        store = SqliteStore.open(dataDirectory);
        assertThat(userVersion()).isEqualTo(SqliteStore.SCHEMA_VERSION);
        assertThat(ids(store.violations(
                        new ViolationQuery(null, null, null, "evil.example:443", null, null, 10, null))))
                .containsExactly("a");
        assertThat(store.summarize(new SummaryQuery(null, T0, T0.plusSeconds(60), Duration.ofMinutes(1), 10))
                        .topBlockedTargets())
                .containsExactly(new ViolationSummary.TargetCount("evil.example:443", Category.NETWORK, 1));
    }

    @Test
    void aStoreKeyedByEventIdAloneIsRekeyedByFunctionAndIdKeepingEveryEvent() throws Exception {
        store.ingest(report("orders", withTarget(blocked("a", "orders", T0), "evil.example:443")));
        store.ingest(report("billing", blocked("b", "billing", T0.plusSeconds(1))));
        store.close();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            // The table of versions 2 and 3, as a store of those versions has it: the event id alone is the key.
            statement.execute("ALTER TABLE violations RENAME TO violations_now");
            statement.execute("CREATE TABLE violations (id TEXT PRIMARY KEY, function TEXT NOT NULL,"
                    + " time_ms INTEGER NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL, count INTEGER NOT NULL,"
                    + " received_ms INTEGER NOT NULL, event TEXT NOT NULL, target TEXT)");
            statement.execute("INSERT INTO violations SELECT id, function, time_ms, category, action, count,"
                    + " received_ms, event, target FROM violations_now");
            statement.execute("DROP TABLE violations_now");
            statement.execute("CREATE INDEX violations_by_time ON violations (time_ms DESC, id DESC)");
            statement.execute("CREATE INDEX violations_by_function ON violations (function, time_ms DESC, id DESC)");
            statement.execute("CREATE INDEX violations_summary"
                    + " ON violations (time_ms, action, category, function, target, count)");
            statement.execute("PRAGMA user_version = 3");
        }

        store = SqliteStore.open(dataDirectory);

        assertThat(userVersion()).isEqualTo(SqliteStore.SCHEMA_VERSION);
        assertThat(functionsAndIds(store.violations(all(10)))).containsExactly("billing/b", "orders/a");
        assertThat(store.ingest(report("billing", blocked("a", "billing", T0))))
                .as("the id another function used is free for this one")
                .isEqualTo(new IngestResult(1, 0));
        assertThat(store.ingest(report("orders", blocked("a", "orders", T0))))
                .as("a migrated event is still a duplicate of itself")
                .isEqualTo(new IngestResult(0, 1));
        assertThat(store.summarize(new SummaryQuery(null, T0, T0.plusSeconds(60), Duration.ofMinutes(1), 10))
                        .blocked())
                .isEqualTo(3);
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet indexes = statement.executeQuery(
                        "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index'"
                                + " AND tbl_name = 'violations' AND sql IS NOT NULL ORDER BY name)")) {
            assertThat(indexes.getString(1)).isEqualTo("violations_by_function,violations_by_time,violations_summary");
        }
    }

    @Test
    void aNewStoreIsAtTheLatestSchemaVersion() throws Exception {
        assertThat(userVersion()).isEqualTo(SqliteStore.SCHEMA_VERSION);
    }

    @Test
    void aStoreOfALaterSchemaIsRefusedAndLeftAsItIs() throws Exception {
        store.ingest(report("orders", blocked("a", "orders", T0)));
        store.close();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + (SqliteStore.SCHEMA_VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteStore.open(dataDirectory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + (SqliteStore.SCHEMA_VERSION + 1))
                .hasMessageContaining("newer than this Warden's (" + SqliteStore.SCHEMA_VERSION + ")");
        assertThat(userVersion()).isEqualTo(SqliteStore.SCHEMA_VERSION + 1);
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet ids = statement.executeQuery("SELECT id FROM violations")) {
            assertThat(ids.next()).isTrue();
            assertThat(ids.getString(1)).isEqualTo("a");
        }
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME));
    }

    int userVersion() throws Exception {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            return version.getInt(1);
        }
    }
}
