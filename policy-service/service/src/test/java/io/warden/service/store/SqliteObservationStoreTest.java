package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.observe.Observation;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationStore.RecordResult;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteObservationStoreTest extends ObservationStoreContract {

    @TempDir
    Path dataDirectory;

    @Override
    Store newStore() {
        return SqliteStore.open(dataDirectory, SqliteStore.DEFAULT_WRITE_TIMEOUT, LIMITS);
    }

    @Test
    void aStoreOfSchemaVersionTwoGetsTheObservationTablesAndKeepsItsViolations() throws Exception {
        store.ingest(StoreContract.report("orders", StoreContract.blocked("a", "orders", T0)));
        store.close();
        String url = "jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE observed_items");
            statement.execute("DROP TABLE observed_versions");
            statement.execute("DROP TABLE observed_functions");
            statement.execute("PRAGMA user_version = 2");
        }
        store = newStore();
        assertThat(store.observations().record(line("1", T0, 0, host("a.example", 1, null))))
                .isEqualTo(new RecordResult(1, 0));
        assertThat(StoreContract.ids(store.violations(StoreContract.all(10)))).containsExactly("a");
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            assertThat(version.getInt(1)).isEqualTo(SqliteStore.SCHEMA_VERSION);
        }
    }

    @Test
    void aStoreOfSchemaVersionSixGetsTheLineIdsAndKeepsItsObservations() throws Exception {
        observations.record(line("1", T0, 0, host("a.example", 1, null)));
        store.close();
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE observed_lines");
            statement.execute("PRAGMA user_version = 6");
        }
        store = newStore();
        Observation line = line("1", T0, 0, host("a.example", 1, null), host("b.example", 1, null));
        assertThat(store.observations().record(line)).isEqualTo(new RecordResult(2, 0));
        assertThat(store.observations().record(line)).isEqualTo(RecordResult.DUPLICATE);
        assertThat(store.observations().items("orders", "1"))
                .extracting(stored -> stored.item().count())
                .containsExactlyInAnyOrder(2L, 1L);
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            assertThat(version.getInt(1)).isEqualTo(SqliteStore.SCHEMA_VERSION);
        }
    }

    @Test
    void lineIdsAreKeptForTheRetentionAndExpiredOnesDeletedAsLinesArrive() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Observation first = line("1", T0, 0, host("a.example", 1, null));
        observations.record(first);
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT function, id, expires_ms FROM observed_lines")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("orders");
            assertThat(row.getString(2)).isEqualTo(first.id());
            assertThat(Instant.ofEpochMilli(row.getLong(3)))
                    .isBetween(
                            before.plus(ObservationStore.LINE_ID_RETENTION),
                            Instant.now().plus(ObservationStore.LINE_ID_RETENTION));
            // Expired now, as if the retention had passed.
            statement.execute("UPDATE observed_lines SET expires_ms = 0");
        }
        Observation second = line("1", T0, 0, host("b.example", 1, null));
        observations.record(second);
        assertThat(lineIds()).containsExactly(second.id());
        // A copy arriving after its id expired is merged again: the retention is what bounds the deduplication.
        assertThat(observations.record(first)).isEqualTo(new RecordResult(1, 0));
        assertThat(lineIds()).containsExactlyInAnyOrder(first.id(), second.id());
    }

    private List<String> lineIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM observed_lines")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private String url() {
        return "jdbc:sqlite:" + dataDirectory.resolve(SqliteStore.FILE_NAME);
    }
}
