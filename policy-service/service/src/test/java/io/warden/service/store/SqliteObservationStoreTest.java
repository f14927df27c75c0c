package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.service.store.observations.ObservationStore.RecordResult;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
}
