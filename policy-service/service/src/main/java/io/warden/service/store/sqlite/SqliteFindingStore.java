package io.warden.service.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The AWS scan's inventory and findings in the service's SQLite database: tables {@code aws_packages},
 * {@code aws_functions} (with an index on the function's name) and {@code aws_layers}, one row per record with the
 * record as {@link FindingJson}. A put reads the stored row and replaces it in one transaction of the database's
 * writer, so the findings it returns as new are new also across restarts and concurrent puts.
 */
public final class SqliteFindingStore implements FindingStore {

    private final SqliteStore database;

    SqliteFindingStore(SqliteStore database) {
        this.database = database;
    }

    @Override
    public Optional<PackageRecord> findPackage(String codeSha256) {
        return one("SELECT record FROM aws_packages WHERE code_sha256 = ?", codeSha256, FindingJson::packageRecord);
    }

    @Override
    public void putPackage(PackageRecord record) {
        replace(
                null,
                null,
                null,
                List.of(),
                "INSERT INTO aws_packages (code_sha256, record) VALUES (?, ?)"
                        + " ON CONFLICT (code_sha256) DO UPDATE SET record = excluded.record",
                record.codeSha256(),
                json(FindingJson.toJson(record)));
    }

    @Override
    public List<PackageRecord> packages() {
        return all("SELECT record FROM aws_packages ORDER BY code_sha256", null, FindingJson::packageRecord);
    }

    @Override
    public Optional<FunctionRecord> findFunction(String functionArn) {
        return one("SELECT record FROM aws_functions WHERE arn = ?", functionArn, FindingJson::function);
    }

    @Override
    public List<Finding> putFunction(FunctionRecord record) {
        return replace(
                "SELECT record FROM aws_functions WHERE arn = ?",
                record.functionArn(),
                stored -> FindingJson.function(stored).findings(),
                record.findings(),
                "INSERT INTO aws_functions (arn, name, record) VALUES (?, ?, ?) ON CONFLICT (arn)"
                        + " DO UPDATE SET name = excluded.name, record = excluded.record",
                record.functionArn(),
                record.functionName(),
                json(FindingJson.toJson(record, true)));
    }

    @Override
    public void removeFunction(String functionArn) {
        replace(null, null, null, List.of(), "DELETE FROM aws_functions WHERE arn = ?", functionArn);
    }

    @Override
    public List<FunctionRecord> functions() {
        return all("SELECT record FROM aws_functions ORDER BY arn", null, FindingJson::function);
    }

    @Override
    public List<FunctionRecord> functionsNamed(String nameOrArn) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT record FROM aws_functions WHERE arn = ? OR name = ? ORDER BY arn")) {
                select.setString(1, nameOrArn);
                select.setString(2, nameOrArn);
                return records(select, FindingJson::function);
            }
        });
    }

    @Override
    public Optional<LayerRecord> findLayer(String layerVersionArn) {
        return one("SELECT record FROM aws_layers WHERE arn = ?", layerVersionArn, FindingJson::layer);
    }

    @Override
    public List<Finding> putLayer(LayerRecord record) {
        return replace(
                "SELECT record FROM aws_layers WHERE arn = ?",
                record.layerVersionArn(),
                stored -> FindingJson.layer(stored).findings(),
                record.findings(),
                "INSERT INTO aws_layers (arn, record) VALUES (?, ?) ON CONFLICT (arn) DO UPDATE SET record = excluded.record",
                record.layerVersionArn(),
                json(FindingJson.toJson(record)));
    }

    @Override
    public List<LayerRecord> layers() {
        return all("SELECT record FROM aws_layers ORDER BY arn", null, FindingJson::layer);
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    /**
     * In one transaction: reads the findings of the row {@code select} finds by {@code key} (when it is given), runs
     * {@code write} with {@code values}, and answers the findings of {@code after} the row did not have.
     */
    private List<Finding> replace(
            String select,
            String key,
            Function<JsonNode, List<Finding>> findingsOf,
            List<Finding> after,
            String write,
            String... values) {
        return database.transaction(connection -> {
            List<Finding> before = select == null
                    ? List.of()
                    : first(connection, select, key, findingsOf).orElse(List.of());
            try (PreparedStatement statement = connection.prepareStatement(write)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setString(i + 1, values[i]);
                }
                statement.executeUpdate();
            }
            return FindingStore.added(before, after);
        });
    }

    private <T> Optional<T> one(String sql, String key, Function<JsonNode, T> read) {
        return database.read(connection -> first(connection, sql, key, read));
    }

    private <T> List<T> all(String sql, String key, Function<JsonNode, T> read) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (key != null) {
                    select.setString(1, key);
                }
                return records(select, read);
            }
        });
    }

    private static <T> Optional<T> first(Connection connection, String sql, String key, Function<JsonNode, T> read)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            return records(select, read).stream().findFirst();
        }
    }

    private static <T> List<T> records(PreparedStatement select, Function<JsonNode, T> read) throws SQLException {
        List<T> records = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                records.add(read.apply(FindingJson.parse(rows.getString(1).getBytes(StandardCharsets.UTF_8))));
            }
        }
        return records;
    }

    private static String json(JsonNode node) {
        return new String(FindingJson.bytes(node), StandardCharsets.UTF_8);
    }
}
