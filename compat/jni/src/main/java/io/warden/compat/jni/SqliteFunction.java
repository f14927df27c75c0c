package io.warden.compat.jni;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** An SQLite database in /tmp through sqlite-jdbc: a row written and read back. */
public class SqliteFunction implements RequestHandler<Map<String, String>, String> {

    private final Connection connection;

    public SqliteFunction() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:/tmp/compat-orders.db");
        connection.createStatement().execute("create table if not exists orders (id text primary key, value text)");
    }

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        try (PreparedStatement write =
                connection.prepareStatement("insert or replace into orders values ('sqlite', ?)")) {
            write.setString(1, event.get("value"));
            write.executeUpdate();
            try (ResultSet row =
                    connection.createStatement().executeQuery("select id, value from orders where id = 'sqlite'")) {
                row.next();
                return row.getString(1) + " = " + row.getString(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
