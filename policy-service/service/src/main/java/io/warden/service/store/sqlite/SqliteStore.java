package io.warden.service.store.sqlite;

import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.store.FunctionRecord;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.ScanRecord;
import io.warden.service.store.Store;
import io.warden.service.store.StoreBusyException;
import io.warden.service.store.StoreException;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.SummaryQuery;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.ViolationCursor;
import io.warden.service.store.ViolationPage;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.ViolationSummary;
import io.warden.service.store.observations.ObservationStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite database file in WAL mode with {@code synchronous=FULL}, so a committed report
 * survives a crash of the process or the machine. Reports are written by one thread that commits every report
 * waiting at that moment in one transaction (group commit): one fsync for many concurrent reports, and each caller is
 * answered only after the commit that holds its report.
 */
public final class SqliteStore implements Store {

    public static final String FILE_NAME = "warden.db";
    /** Reports waiting for the writer; beyond this, ingest answers busy instead of queueing without bound. */
    static final int MAX_PENDING_REPORTS = 2_000;
    /** Most reports committed in one transaction. */
    static final int MAX_GROUP = 256;
    /**
     * How long a report may wait for the writer: past it, a report no commit has taken up yet is withdrawn and nothing
     * of it is stored (the caller answers busy). One that a commit holds already is answered when that commit ends.
     */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a caller waits for a commit that holds its report (beyond the busy timeout, the commit fails). */
    static final long COMMIT_WAIT_MILLIS = 15_000;

    static final int READ_CONNECTIONS = 4;
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /**
     * How often the WAL is copied back into the database, off the writer's path (see {@link #checkpoint}). Often, so
     * that each copy, and the sync of the database file that ends it, is small: a second's worth after a burst held
     * commits up for half a second.
     */
    static final long CHECKPOINT_INTERVAL_MILLIS = 50;

    /**
     * The version of the store's schema, kept in the database file ({@code PRAGMA user_version}). Opening a store
     * brings it from its version up to this one in one transaction (see {@link #migrate}); a store of a later version,
     * written by a newer Warden, is refused and left as it is. A store from before versions reads as version 0.
     */
    public static final int SCHEMA_VERSION = 7;

    /** Version 1: the tables and their first indexes (IF NOT EXISTS: a store from before versions has some). */
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS violations (
              id TEXT PRIMARY KEY,
              function TEXT NOT NULL,
              time_ms INTEGER NOT NULL,
              category TEXT NOT NULL,
              action TEXT NOT NULL,
              count INTEGER NOT NULL,
              received_ms INTEGER NOT NULL,
              event TEXT NOT NULL,
              target TEXT
            );
            CREATE INDEX IF NOT EXISTS violations_by_time ON violations (time_ms DESC, id DESC);
            CREATE INDEX IF NOT EXISTS violations_by_function ON violations (function, time_ms DESC, id DESC);
            CREATE TABLE IF NOT EXISTS functions (
              name TEXT PRIMARY KEY,
              agent_version TEXT,
              mode TEXT,
              first_seen_ms INTEGER NOT NULL,
              last_seen_ms INTEGER,
              blocked INTEGER NOT NULL DEFAULT 0,
              alerted INTEGER NOT NULL DEFAULT 0,
              latest_scan_id TEXT
            );
            CREATE TABLE IF NOT EXISTS policies (
              function TEXT PRIMARY KEY,
              policy TEXT NOT NULL,
              updated_ms INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS scans (
              id TEXT PRIMARY KEY,
              function TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              summary TEXT NOT NULL,
              result TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS tokens (
              sha256 TEXT PRIMARY KEY,
              role TEXT NOT NULL,
              function TEXT,
              created_ms INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS aws_packages (
              code_sha256 TEXT PRIMARY KEY,
              record TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS aws_functions (
              arn TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              record TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS aws_functions_by_name ON aws_functions (name);
            CREATE TABLE IF NOT EXISTS aws_layers (
              arn TEXT PRIMARY KEY,
              record TEXT NOT NULL
            );
            """;

    /**
     * Version 4: an event is identified by its function and its id, so one function's reporter cannot pre-empt
     * another's events by reusing their ids. The table is rebuilt with that key; newest-first listing orders by
     * (time, function, id).
     */
    private static final String VIOLATIONS_BY_FUNCTION_AND_ID = """
            CREATE TABLE violations_rekeyed (
              id TEXT NOT NULL,
              function TEXT NOT NULL,
              time_ms INTEGER NOT NULL,
              category TEXT NOT NULL,
              action TEXT NOT NULL,
              count INTEGER NOT NULL,
              received_ms INTEGER NOT NULL,
              event TEXT NOT NULL,
              target TEXT,
              PRIMARY KEY (function, id)
            );
            INSERT INTO violations_rekeyed (id, function, time_ms, category, action, count, received_ms, event, target)
              SELECT id, function, time_ms, category, action, count, received_ms, event, target FROM violations;
            DROP TABLE violations;
            ALTER TABLE violations_rekeyed RENAME TO violations;
            CREATE INDEX violations_by_time ON violations (time_ms DESC, function DESC, id DESC);
            CREATE INDEX violations_by_function ON violations (function, time_ms DESC, id DESC)
            """;

    private static final String INSERT_VIOLATION = "INSERT OR IGNORE INTO violations"
            + " (id, function, time_ms, category, action, count, received_ms, event, target)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * Holds every column a summary reads, so that summing a range reads this index only, never the events' rows (at
     * 100k events in the range that is about eight times faster).
     */
    private static final String SUMMARY_INDEX = "CREATE INDEX IF NOT EXISTS violations_summary"
            + " ON violations (time_ms, action, category, function, target, count)";

    private static final String UPSERT_REPORTING_FUNCTION = """
            INSERT INTO functions (name, agent_version, mode, first_seen_ms, last_seen_ms, blocked, alerted)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
              agent_version = coalesce(excluded.agent_version, agent_version),
              mode = coalesce(excluded.mode, mode),
              last_seen_ms = max(coalesce(last_seen_ms, 0), excluded.last_seen_ms),
              blocked = blocked + excluded.blocked,
              alerted = alerted + excluded.alerted
            """;

    private final String url;
    private final Connection writer;
    /** Prepared once: used by the writer thread only, under the writer's lock. */
    private final PreparedStatement insertViolation;

    private final PreparedStatement upsertReportingFunction;
    private final BlockingQueue<Connection> readers;
    private final BlockingQueue<PendingReport> pending = new ArrayBlockingQueue<>(MAX_PENDING_REPORTS);
    private final Thread writerThread;
    private final Thread checkpointThread;
    private final Duration writeTimeout;
    private final SqliteFindingStore findings = new SqliteFindingStore(this);
    private final SqliteObservationStore observations;
    private volatile boolean closed;

    private SqliteStore(
            String url,
            Connection writer,
            BlockingQueue<Connection> readers,
            Duration writeTimeout,
            ObservationStore.Limits observationLimits)
            throws SQLException {
        this.url = url;
        this.observations = new SqliteObservationStore(this, observationLimits);
        this.writeTimeout = writeTimeout;
        this.writer = writer;
        this.insertViolation = writer.prepareStatement(INSERT_VIOLATION);
        this.upsertReportingFunction = writer.prepareStatement(UPSERT_REPORTING_FUNCTION);
        this.readers = readers;
        this.writerThread = new Thread(this::writeReports, "warden-sqlite-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
        this.checkpointThread = new Thread(this::checkpoint, "warden-sqlite-checkpoint");
        this.checkpointThread.setDaemon(true);
        this.checkpointThread.start();
    }

    /** Opens (creating if needed) {@value #FILE_NAME} in the directory. */
    public static SqliteStore open(Path dataDirectory) {
        return open(dataDirectory, DEFAULT_WRITE_TIMEOUT);
    }

    /** @param writeTimeout how long a report may wait for the writer before it is withdrawn */
    public static SqliteStore open(Path dataDirectory, Duration writeTimeout) {
        return open(dataDirectory, writeTimeout, ObservationStore.Limits.DEFAULT);
    }

    /** @param observationLimits the caps on each function's observations */
    public static SqliteStore open(
            Path dataDirectory, Duration writeTimeout, ObservationStore.Limits observationLimits) {
        String url = "jdbc:sqlite:" + dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            ownerOnly(dataDirectory);
        } catch (IOException e) {
            throw new StoreException("cannot make " + dataDirectory + " readable by its owner only: " + e, e);
        }
        try {
            Connection writer = connect(url);
            try {
                migrate(writer, url);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(writer);
                throw e;
            }
            try (Statement pragma = writer.createStatement()) {
                // Checkpoints run in their own thread, so a commit costs one WAL sync and never a checkpoint's.
                pragma.execute("PRAGMA wal_autocheckpoint = 0");
            }
            writer.setAutoCommit(false);
            BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READ_CONNECTIONS);
            for (int i = 0; i < READ_CONNECTIONS; i++) {
                readers.add(connect(url));
            }
            return new SqliteStore(url, writer, readers, writeTimeout, observationLimits);
        } catch (SQLException e) {
            throw new StoreException("cannot open the SQLite store " + url + ": " + e.getMessage(), e);
        }
    }

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /**
     * The directory, when it is made here, {@code 0700} (an existing one is left as its owner set it) and the database
     * with its WAL and shared-memory files {@code 0600}: they hold every violation, policy and token hash. The database file is made before SQLite opens it, with those
     * permissions, and SQLite gives its WAL and shared-memory files the database file's; a store made before this gets
     * its permissions narrowed here.
     */
    public static void ownerOnly(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(dataDirectory)) {
            Files.createDirectories(dataDirectory);
            Files.setPosixFilePermissions(dataDirectory, OWNER_DIRECTORY);
        }
        Path database = dataDirectory.resolve(FILE_NAME);
        try {
            Files.createFile(database, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException existing) {
            // Narrowed below with its companions.
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = dataDirectory.resolve(FILE_NAME + suffix);
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        }
    }

    /** Brings the store's schema up to {@link #SCHEMA_VERSION}, all steps or none. */
    private static void migrate(Connection writer, String url) throws SQLException {
        int version;
        try (Statement pragma = writer.createStatement();
                ResultSet row = pragma.executeQuery("PRAGMA user_version")) {
            version = row.getInt(1);
        }
        if (version > SCHEMA_VERSION) {
            throw new StoreException(
                    "the SQLite store " + url + " has schema version " + version + ", newer than this Warden's ("
                            + SCHEMA_VERSION + "): open it with the Warden that wrote it",
                    null);
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        writer.setAutoCommit(false);
        try (Statement schema = writer.createStatement()) {
            if (version < 1) {
                executeAll(schema, SCHEMA);
            }
            if (version < 2) {
                // Version 2: violations get a target column, filled from the stored events, and the summary index.
                addColumn(schema, "violations", "target TEXT", "json_extract(event, '$.target')");
                schema.execute(SUMMARY_INDEX);
            }
            if (version < 3) {
                executeAll(schema, SqliteObservationStore.SCHEMA);
            }
            if (version < 4) {
                executeAll(schema, VIOLATIONS_BY_FUNCTION_AND_ID);
                schema.execute(SUMMARY_INDEX);
            }
            if (version < 5) {
                // Version 5: policies carry the revision they are signed with; a stored one starts at its time.
                addColumn(schema, "policies", "revision INTEGER NOT NULL DEFAULT 0", "updated_ms");
            }
            if (version < 6) {
                // Version 6: tokens may expire and carry a label.
                addColumn(schema, "tokens", "expires_ms INTEGER", "NULL");
                addColumn(schema, "tokens", "label TEXT", "NULL");
            }
            if (version < 7) {
                // Version 7: the ids of the observation lines merged, so that a line delivered again merges nothing.
                executeAll(schema, SqliteObservationStore.LINE_IDS);
            }
            schema.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    private static void executeAll(Statement schema, String statements) throws SQLException {
        for (String statement : statements.split(";")) {
            if (!statement.isBlank()) {
                schema.execute(statement);
            }
        }
    }

    /**
     * Adds the column (its name, then its type) filled with the value, unless the table has it already (a store from
     * before versions may).
     */
    private static void addColumn(Statement schema, String table, String column, String value) throws SQLException {
        String name = column.substring(0, column.indexOf(' '));
        try (ResultSet existing =
                schema.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '" + name + "'")) {
            if (existing.next()) {
                return;
            }
        }
        schema.execute("ALTER TABLE " + table + " ADD COLUMN " + column);
        schema.execute("UPDATE " + table + " SET " + name + " = " + value);
    }

    private static Connection connect(String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is synced at every commit, so an acknowledged report survives power loss, not only a crash.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        return config.createConnection(url);
    }

    // ---- reports ----------------------------------------------------------------------------------------------

    /**
     * A report waiting for the writer, with each event's JSON line made beforehand by the caller's thread. Exactly one
     * of the writer (taking it into a commit) and the caller (withdrawing it at the write timeout) claims it.
     */
    private record PendingReport(
            Report report, List<String> lines, CompletableFuture<IngestResult> result, AtomicInteger state) {
        static final int QUEUED = 0;
        static final int TAKEN = 1;
        static final int WITHDRAWN = 2;

        boolean claim(int to) {
            return state.compareAndSet(QUEUED, to);
        }
    }

    @Override
    public IngestResult ingest(Report report) {
        if (closed) {
            throw new StoreException("the SQLite store " + url + " is closed", null);
        }
        List<String> lines = new ArrayList<>(report.events().size());
        for (Violation event : report.events()) {
            lines.add(ViolationJson.toJsonLine(event));
        }
        PendingReport entry = new PendingReport(report, lines, new CompletableFuture<>(), new AtomicInteger());
        if (!pending.offer(entry)) {
            throw new StoreBusyException(MAX_PENDING_REPORTS + " reports are waiting to be written; retry later");
        }
        try {
            try {
                return entry.result().get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (entry.claim(PendingReport.WITHDRAWN)) {
                    throw new StoreBusyException("the report was not written within " + writeTimeout.toMillis()
                            + " ms, so nothing of it was stored; retry later");
                }
                return entry.result().get(COMMIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new StoreException("cannot store the report: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException(
                    "the commit holding the report did not end within " + (writeTimeout.toMillis() + COMMIT_WAIT_MILLIS)
                            + " ms; it may still be stored, and a retry stores nothing twice",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while storing the report", e);
        }
    }

    private void writeReports() {
        List<PendingReport> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !pending.isEmpty()) {
            try {
                PendingReport first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                pending.drainTo(group, MAX_GROUP - 1);
                group.removeIf(entry -> !entry.claim(PendingReport.TAKEN));
                if (!group.isEmpty()) {
                    commit(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<PendingReport> group) {
        List<IngestResult> results = new ArrayList<>(group.size());
        synchronized (writer) {
            try {
                for (PendingReport entry : group) {
                    results.add(write(entry.report(), entry.lines(), insertViolation, upsertReportingFunction));
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                rollback();
                group.forEach(entry -> entry.result().completeExceptionally(e));
                return;
            }
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result().complete(results.get(i));
        }
    }

    private static IngestResult write(
            Report report, List<String> lines, PreparedStatement insert, PreparedStatement upsert) throws SQLException {
        int accepted = 0;
        long blocked = 0;
        long alerted = 0;
        long received = report.receivedAt().toEpochMilli();
        for (int i = 0; i < lines.size(); i++) {
            Violation event = report.events().get(i);
            insert.setString(1, event.id());
            insert.setString(2, report.function());
            insert.setLong(3, event.time().toEpochMilli());
            insert.setString(4, event.category().jsonName());
            insert.setString(5, event.action().jsonName());
            insert.setInt(6, event.count());
            insert.setLong(7, received);
            insert.setString(8, lines.get(i));
            insert.setString(9, event.target());
            if (insert.executeUpdate() == 1) {
                accepted++;
                if (event.action() == Action.BLOCKED) {
                    blocked += event.count();
                } else {
                    alerted += event.count();
                }
            }
        }
        upsert.setString(1, report.function());
        upsert.setString(2, report.agentVersion());
        upsert.setString(3, report.mode() == null ? null : report.mode().jsonName());
        upsert.setLong(4, received);
        upsert.setLong(5, received);
        upsert.setLong(6, blocked);
        upsert.setLong(7, alerted);
        upsert.executeUpdate();
        return new IngestResult(accepted, report.events().size() - accepted);
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // The connection is unusable; the next commit reports the failure.
        }
    }

    /**
     * Copies committed WAL content into the database file now and then. PASSIVE never waits for the writer or readers;
     * what it cannot copy yet is copied the next time. Read connections are in auto-commit mode, so one of them can
     * run it.
     */
    private void checkpoint() {
        while (!closed) {
            try {
                Thread.sleep(CHECKPOINT_INTERVAL_MILLIS);
                read(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    }
                    return null;
                });
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                // A checkpoint that failed leaves the WAL as it is; the next one tries again.
            }
        }
    }

    // ---- reading violations and functions ---------------------------------------------------------------------

    @Override
    public ViolationPage violations(ViolationQuery query) {
        StringBuilder sql = new StringBuilder("SELECT time_ms, function, id, event FROM violations WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.function() != null) {
            sql.append(" AND function = ?");
            args.add(query.function());
        }
        if (query.category() != null) {
            sql.append(" AND category = ?");
            args.add(query.category().jsonName());
        }
        if (query.action() != null) {
            sql.append(" AND action = ?");
            args.add(query.action().jsonName());
        }
        if (query.target() != null) {
            sql.append(" AND target = ?");
            args.add(query.target());
        }
        if (query.since() != null) {
            sql.append(" AND time_ms >= ?");
            args.add(query.since().toEpochMilli());
        }
        if (query.until() != null) {
            sql.append(" AND time_ms < ?");
            args.add(query.until().toEpochMilli());
        }
        if (query.after() != null) {
            sql.append(" AND (time_ms, function, id) < (?, ?, ?)");
            args.add(query.after().timeMillis());
            args.add(query.after().function());
            args.add(query.after().id());
        }
        sql.append(" ORDER BY time_ms DESC, function DESC, id DESC LIMIT ?");
        args.add(query.limit() + 1);
        return read(connection -> {
            List<String> events = new ArrayList<>();
            ViolationCursor last = null;
            boolean more = false;
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    select.setObject(i + 1, args.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (events.size() == query.limit()) {
                            more = true;
                            break;
                        }
                        last = new ViolationCursor(rows.getLong(1), rows.getString(2), rows.getString(3));
                        events.add(rows.getString(4));
                    }
                }
            }
            return new ViolationPage(events, more ? last : null);
        });
    }

    /** Counted in SQL over the summary index alone. */
    @Override
    public ViolationSummary summarize(SummaryQuery query) {
        StringBuilder where = new StringBuilder(" FROM violations WHERE time_ms >= ? AND time_ms < ?");
        List<Object> args = new ArrayList<>(
                List.of(query.since().toEpochMilli(), query.until().toEpochMilli()));
        if (query.function() != null) {
            where.append(" AND function = ?");
            args.add(query.function());
        }
        String range = where.toString();
        return read(connection -> {
            ViolationSummary.Builder summary = new ViolationSummary.Builder(query);
            List<Object> bucketArgs = new ArrayList<>(
                    List.of(query.since().toEpochMilli(), query.bucket().toMillis()));
            bucketArgs.addAll(args);
            select(
                    connection,
                    "SELECT (time_ms - ?) / ?, category, action, sum(count)" + range + " GROUP BY 1, 2, 3",
                    bucketArgs,
                    rows -> summary.addToBucket(
                            rows.getInt(1),
                            Category.fromJsonName(rows.getString(2)),
                            Action.fromJsonName(rows.getString(3)),
                            rows.getLong(4)));
            select(
                    connection,
                    "SELECT function, action, sum(count)" + range + " GROUP BY 1, 2",
                    args,
                    rows -> summary.addToFunction(
                            rows.getString(1), Action.fromJsonName(rows.getString(2)), rows.getLong(3)));
            List<Object> targetArgs = new ArrayList<>(args);
            targetArgs.add(query.top());
            select(
                    connection,
                    "SELECT target, category, sum(count)" + range
                            + " AND action = 'blocked' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
                    targetArgs,
                    rows -> summary.addToBlockedTarget(
                            rows.getString(1), Category.fromJsonName(rows.getString(2)), rows.getLong(3)));
            return summary.build();
        });
    }

    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private static void select(Connection connection, String sql, List<Object> args, RowReader reader)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }

    @Override
    public List<FunctionRecord> functions() {
        return read(connection -> {
            List<FunctionRecord> functions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT f.name, f.agent_version, f.mode, f.first_seen_ms, f.last_seen_ms, f.blocked, f.alerted,
                           s.id, s.function, s.created_ms, s.summary
                    FROM functions f LEFT JOIN scans s ON s.id = f.latest_scan_id
                    ORDER BY f.name""");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ScanRecord scan = rows.getString(8) == null
                            ? null
                            : new ScanRecord(
                                    rows.getString(8),
                                    rows.getString(9),
                                    Instant.ofEpochMilli(rows.getLong(10)),
                                    rows.getString(11),
                                    null);
                    functions.add(new FunctionRecord(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            Instant.ofEpochMilli(rows.getLong(4)),
                            instant(rows, 5),
                            rows.getLong(6),
                            rows.getLong(7),
                            scan));
                }
            }
            return functions;
        });
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    // ---- policies, scans, tokens ------------------------------------------------------------------------------

    @Override
    public StoredPolicy putPolicy(String function, String json, Instant updatedAt) {
        return transaction(connection -> {
            long revision = updatedAt.toEpochMilli();
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT revision FROM policies WHERE function = ?")) {
                select.setString(1, function);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        revision = Math.max(revision, rows.getLong(1) + 1);
                    }
                }
            }
            execute(
                    "INSERT INTO policies (function, policy, updated_ms, revision) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (function) DO UPDATE SET policy = excluded.policy,"
                            + " updated_ms = excluded.updated_ms, revision = excluded.revision",
                    function,
                    json,
                    updatedAt.toEpochMilli(),
                    revision);
            return new StoredPolicy(function, json, updatedAt, revision);
        });
    }

    @Override
    public Optional<StoredPolicy> policy(String function) {
        return read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT policy, updated_ms, revision FROM policies WHERE function = ?")) {
                select.setString(1, function);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new StoredPolicy(
                                    function,
                                    rows.getString(1),
                                    Instant.ofEpochMilli(rows.getLong(2)),
                                    rows.getLong(3)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putScan(ScanRecord scan) {
        synchronized (writer) {
            try {
                execute(
                        "INSERT INTO scans (id, function, created_ms, summary, result) VALUES (?, ?, ?, ?, ?)",
                        scan.id(),
                        scan.function(),
                        scan.createdAt().toEpochMilli(),
                        scan.summaryJson(),
                        scan.resultJson());
                execute(
                        "INSERT INTO functions (name, first_seen_ms, latest_scan_id) VALUES (?, ?, ?)"
                                + " ON CONFLICT (name) DO UPDATE SET latest_scan_id = excluded.latest_scan_id",
                        scan.function(),
                        scan.createdAt().toEpochMilli(),
                        scan.id());
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new StoreException("cannot store scan " + scan.id() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Optional<ScanRecord> scan(String id) {
        return read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT function, created_ms, summary, result FROM scans WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new ScanRecord(
                                    id,
                                    rows.getString(1),
                                    Instant.ofEpochMilli(rows.getLong(2)),
                                    rows.getString(3),
                                    rows.getString(4)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putToken(TokenRecord token) {
        write(
                "INSERT INTO tokens (sha256, role, function, created_ms, expires_ms, label) VALUES (?, ?, ?, ?, ?, ?)",
                token.sha256Hex(),
                token.role(),
                token.function(),
                token.createdAt().toEpochMilli(),
                token.expiresAt() == null ? null : token.expiresAt().toEpochMilli(),
                token.label());
    }

    private static final String TOKEN_COLUMNS = "sha256, role, function, created_ms, expires_ms, label";

    @Override
    public Optional<TokenRecord> token(String sha256Hex) {
        List<TokenRecord> found = tokens(" WHERE sha256 = ?", sha256Hex);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<TokenRecord> tokens() {
        return tokens(" ORDER BY created_ms, sha256");
    }

    private List<TokenRecord> tokens(String where, Object... args) {
        return read(connection -> {
            List<TokenRecord> tokens = new ArrayList<>();
            select(
                    connection,
                    "SELECT " + TOKEN_COLUMNS + " FROM tokens" + where,
                    List.of(args),
                    rows -> tokens.add(new TokenRecord(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            Instant.ofEpochMilli(rows.getLong(4)),
                            instant(rows, 5),
                            rows.getString(6))));
            return tokens;
        });
    }

    @Override
    public boolean deleteToken(String sha256Hex) {
        return transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tokens WHERE sha256 = ?")) {
                delete.setString(1, sha256Hex);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void checkHealth() {
        read(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM tokens")) {
                return rows.next();
            }
        });
    }

    /** The AWS scan's inventory and findings, in this database's {@code aws_*} tables. */
    @Override
    public SqliteFindingStore findings() {
        return findings;
    }

    /** What the agents observed, in this database's {@code observed_*} tables (schema version 3). */
    @Override
    public SqliteObservationStore observations() {
        return observations;
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    interface ReadWork<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> T read(ReadWork<T> work) {
        Connection connection;
        try {
            connection = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("cannot read the SQLite store " + url + ": " + e.getMessage(), e);
        } finally {
            readers.add(connection);
        }
    }

    /** The work in one transaction of the writer connection, committed when it returns. */
    <T> T transaction(ReadWork<T> work) {
        synchronized (writer) {
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw new StoreException("cannot write to the SQLite store " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** One statement in its own transaction. */
    private void write(String sql, Object... args) {
        transaction(connection -> {
            execute(sql, args);
            return null;
        });
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = writer.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    @Override
    public void close() {
        closed = true;
        checkpointThread.interrupt();
        try {
            writerThread.join(writeTimeout.toMillis() + COMMIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (writer) {
            closeQuietly(writer);
        }
        readers.forEach(SqliteStore::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing: nothing left to do with it.
        }
    }
}
