package io.warden.service.store;

import io.warden.aws.findings.FindingStore;
import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteFindingStoreTest extends FindingStoreContract {

    @TempDir
    Path dataDirectory;

    SqliteStore database;

    @Override
    FindingStore open() {
        database = SqliteStore.open(dataDirectory);
        return database.findings();
    }

    @Override
    FindingStore reopen() {
        database.close();
        database = SqliteStore.open(dataDirectory);
        return database.findings();
    }

    @AfterEach
    void close() {
        database.close();
    }
}
