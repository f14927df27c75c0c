package io.warden.service.store.sqlite;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import io.warden.service.store.observations.StoredItems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Observations in the service's SQLite database: tables {@code observed_items} (one row per function, version and item
 * key), {@code observed_versions}, {@code observed_functions} (the counters the caps are checked against) and
 * {@code observed_lines} (the ids of the lines merged, until they expire). A line is merged in one transaction of the
 * database's writer, its id recorded in the same one: all of it or nothing, the caps hold exactly, and a line whose id is
 * recorded merges nothing, however many deliveries of it race.
 */
public final class SqliteObservationStore implements ObservationStore {

    /** Schema version 3 of {@link SqliteStore}. */
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS observed_items (
              function TEXT NOT NULL,
              version TEXT NOT NULL,
              key TEXT NOT NULL,
              kind TEXT NOT NULL,
              item TEXT NOT NULL,
              count INTEGER NOT NULL,
              first_seen_ms INTEGER NOT NULL,
              last_seen_ms INTEGER NOT NULL,
              last_caller TEXT,
              PRIMARY KEY (function, version, key)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS observed_versions (
              function TEXT NOT NULL,
              version TEXT NOT NULL,
              lines INTEGER NOT NULL,
              first_seen_ms INTEGER NOT NULL,
              last_seen_ms INTEGER NOT NULL,
              dropped INTEGER NOT NULL,
              refused_items INTEGER NOT NULL,
              PRIMARY KEY (function, version)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS observed_functions (
              function TEXT PRIMARY KEY,
              items INTEGER NOT NULL,
              versions INTEGER NOT NULL,
              refused_items INTEGER NOT NULL,
              refused_lines INTEGER NOT NULL
            );
            """;

    /**
     * Schema version 7 of {@link SqliteStore}: one row per merged line, by function and id, until {@code expires_ms}
     * ({@link #LINE_ID_RETENTION} after it was merged).
     */
    static final String LINE_IDS = """
            CREATE TABLE IF NOT EXISTS observed_lines (
              function TEXT NOT NULL,
              id TEXT NOT NULL,
              expires_ms INTEGER NOT NULL,
              PRIMARY KEY (function, id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS observed_lines_by_expiry ON observed_lines (expires_ms)
            """;

    /** Expired line ids deleted by one merge at most: more than one a merge adds, so they never pile up. */
    static final int EXPIRED_IDS_PER_MERGE = 16;

    private static final String DELETE_EXPIRED_IDS = "DELETE FROM observed_lines WHERE (function, id) IN"
            + " (SELECT function, id FROM observed_lines WHERE expires_ms <= ? LIMIT " + EXPIRED_IDS_PER_MERGE + ")";
    private static final String INSERT_LINE_ID =
            "INSERT INTO observed_lines (function, id, expires_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private static final String MERGE_ITEM = """
            UPDATE observed_items SET
              count = count + ?1,
              first_seen_ms = min(first_seen_ms, ?2),
              last_caller = CASE WHEN ?3 IS NOT NULL AND ?2 >= last_seen_ms THEN ?3 ELSE last_caller END,
              last_seen_ms = max(last_seen_ms, ?2)
            WHERE function = ?4 AND version = ?5 AND key = ?6""";
    private static final String INSERT_ITEM = "INSERT INTO observed_items"
            + " (function, version, key, kind, item, count, first_seen_ms, last_seen_ms, last_caller)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPSERT_VERSION = """
            INSERT INTO observed_versions (function, version, lines, first_seen_ms, last_seen_ms, dropped, refused_items)
            VALUES (?1, ?2, 1, ?3, ?3, ?4, ?5)
            ON CONFLICT (function, version) DO UPDATE SET
              lines = lines + 1,
              first_seen_ms = min(first_seen_ms, excluded.first_seen_ms),
              last_seen_ms = max(last_seen_ms, excluded.last_seen_ms),
              dropped = dropped + excluded.dropped,
              refused_items = refused_items + excluded.refused_items""";
    private static final String UPSERT_FUNCTION = """
            INSERT INTO observed_functions (function, items, versions, refused_items, refused_lines)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (function) DO UPDATE SET
              items = items + excluded.items,
              versions = versions + excluded.versions,
              refused_items = refused_items + excluded.refused_items,
              refused_lines = refused_lines + excluded.refused_lines""";

    private final SqliteStore database;
    private final Limits limits;

    SqliteObservationStore(SqliteStore database, Limits limits) {
        this.database = database;
        this.limits = limits;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public RecordResult record(Observation line) {
        return database.transaction(connection -> {
            if (line.id() != null && !firstDelivery(connection, line)) {
                return RecordResult.DUPLICATE;
            }
            long items = 0;
            long versions = 0;
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT items, versions FROM observed_functions WHERE function = ?")) {
                select.setString(1, line.function());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        items = row.getLong(1);
                        versions = row.getLong(2);
                    }
                }
            }
            boolean newVersion;
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT 1 FROM observed_versions WHERE function = ? AND version = ?")) {
                select.setString(1, line.function());
                select.setString(2, line.functionVersion());
                try (ResultSet row = select.executeQuery()) {
                    newVersion = !row.next();
                }
            }
            int refused = 0;
            if (newVersion && versions >= limits.maxVersions()) {
                refused = line.items().size();
                upsertFunction(connection, line.function(), 0, 0, refused, 1);
                return new RecordResult(0, refused);
            }
            long time = line.time().toEpochMilli();
            int added = 0;
            try (PreparedStatement merge = connection.prepareStatement(MERGE_ITEM);
                    PreparedStatement insert = connection.prepareStatement(INSERT_ITEM)) {
                for (ObservedItem item : line.items()) {
                    String key = StoredItems.key(item);
                    merge.setLong(1, item.count());
                    merge.setLong(2, time);
                    merge.setString(3, item.caller());
                    merge.setString(4, line.function());
                    merge.setString(5, line.functionVersion());
                    merge.setString(6, key);
                    if (merge.executeUpdate() == 1) {
                        continue;
                    }
                    if (items + added >= limits.maxItems()) {
                        refused++;
                        continue;
                    }
                    insert.setString(1, line.function());
                    insert.setString(2, line.functionVersion());
                    insert.setString(3, key);
                    insert.setString(4, item.kind());
                    insert.setString(5, StoredItems.json(item));
                    insert.setLong(6, item.count());
                    insert.setLong(7, time);
                    insert.setLong(8, time);
                    insert.setString(9, item.caller());
                    insert.executeUpdate();
                    added++;
                }
            }
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT_VERSION)) {
                upsert.setString(1, line.function());
                upsert.setString(2, line.functionVersion());
                upsert.setLong(3, time);
                upsert.setLong(4, line.dropped());
                upsert.setLong(5, refused);
                upsert.executeUpdate();
            }
            upsertFunction(connection, line.function(), added, newVersion ? 1 : 0, refused, 0);
            return new RecordResult(line.items().size() - refused, refused);
        });
    }

    /**
     * Records the line's id, and deletes a few expired ones; false when the id was recorded already. In the merge's
     * transaction, so the id is recorded exactly when the line is merged.
     */
    private boolean firstDelivery(Connection connection, Observation line) throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement delete = connection.prepareStatement(DELETE_EXPIRED_IDS)) {
            delete.setLong(1, now);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LINE_ID)) {
            insert.setString(1, line.function());
            insert.setString(2, line.id());
            insert.setLong(3, now + LINE_ID_RETENTION.toMillis());
            return insert.executeUpdate() == 1;
        }
    }

    private static void upsertFunction(
            Connection connection, String function, long items, long versions, long refusedItems, long refusedLines)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_FUNCTION)) {
            upsert.setString(1, function);
            upsert.setLong(2, items);
            upsert.setLong(3, versions);
            upsert.setLong(4, refusedItems);
            upsert.setLong(5, refusedLines);
            upsert.executeUpdate();
        }
    }

    @Override
    public List<ObservedVersion> versions(String function) {
        return database.read(connection -> {
            List<ObservedVersion> versions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT version, lines, first_seen_ms, last_seen_ms, dropped, refused_items"
                            + " FROM observed_versions WHERE function = ? ORDER BY version")) {
                select.setString(1, function);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        versions.add(new ObservedVersion(
                                rows.getString(1),
                                rows.getLong(2),
                                Instant.ofEpochMilli(rows.getLong(3)),
                                Instant.ofEpochMilli(rows.getLong(4)),
                                rows.getLong(5),
                                rows.getLong(6)));
                    }
                }
            }
            return versions;
        });
    }

    @Override
    public List<StoredItem> items(String function, String version) {
        return database.read(connection -> {
            List<StoredItem> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT version, key, item, count, last_caller, first_seen_ms, last_seen_ms"
                            + " FROM observed_items WHERE function = ?"
                            + (version == null ? "" : " AND version = ?")
                            + " ORDER BY version, kind, key")) {
                select.setString(1, function);
                if (version != null) {
                    select.setString(2, version);
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(new StoredItem(
                                rows.getString(1),
                                rows.getString(2),
                                StoredItems.read(rows.getString(3), rows.getLong(4), rows.getString(5)),
                                Instant.ofEpochMilli(rows.getLong(6)),
                                Instant.ofEpochMilli(rows.getLong(7))));
                    }
                }
            }
            return items;
        });
    }

    @Override
    public Optional<ObservationTotals> totals(String function) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT items, versions, refused_items,"
                    + " refused_lines FROM observed_functions WHERE function = ?")) {
                select.setString(1, function);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new ObservationTotals(
                                    row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)))
                            : Optional.empty();
                }
            }
        });
    }
}
