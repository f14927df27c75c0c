package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.LocalService;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.auth.TokenAuthenticator;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden token}: the API tokens of {@code warden serve}'s data directory, by the API's own token routes run
 * in this process as an admin (so the command and {@code POST/GET/DELETE /v1/tokens} check and answer alike). A
 * running {@code warden serve} on the same directory honours a revocation within
 * {@link TokenAuthenticator#REMEMBERED_FOR}.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Mints, lists and revokes the API tokens of `warden serve`'s data directory, and rotates its admin token."
                    + " A running `warden serve` on the directory stops taking a revoked token within 5 seconds.",
            "Exit status: 0 done, 1 refused (the message says why), 2 usage error or the store could not be read."
        })
final class TokenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The data directory of `warden serve` (default: ~/.warden/service).")
    Path dataDirectory = Path.of(System.getProperty("user.home"), ".warden", "service");

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Mints a token and prints it, once.")
    int create(
            @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, viewer or reporter")
                    String role,
            @Option(
                            names = "--function",
                            paramLabel = "NAME",
                            description = "For a reporter: the function it reports for, or * for every function.")
                    String function,
            @Option(
                            names = "--expires-at",
                            paramLabel = "TIME",
                            description = "When it stops working, ISO-8601 UTC (e.g. 2030-01-01T00:00:00Z);"
                                    + " default never.")
                    String expiresAt,
            @Option(names = "--label", paramLabel = "TEXT", description = "What it is for, shown when listed.")
                    String label) {
        ObjectNode body = JSON.createObjectNode().put("role", role);
        if (function != null) {
            body.put("function", function);
        }
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        if (label != null) {
            body.put("label", label);
        }
        return api("POST", "/v1/tokens", body.toString());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tokens by id, never the secret.")
    int list() {
        return api("GET", "/v1/tokens", null);
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes the token with this id (as `warden token list` shows it).")
    int revoke(@Parameters(paramLabel = "ID", description = "The token's id.") String id) {
        return api("DELETE", "/v1/tokens/" + id, null);
    }

    @Command(
            name = "rotate-admin",
            mixinStandardHelpOptions = true,
            description = "Writes a new admin token to the directory's admin-token file and revokes the old one.")
    int rotateAdmin() {
        try {
            requireStore();
            Path file = LocalService.rotateAdminToken(dataDirectory);
            spec.commandLine()
                    .getOut()
                    .println("warden token: new admin token in " + file.toAbsolutePath() + "; the old one is revoked");
            return 0;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden token rotate-admin: " + e.getMessage());
            return 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private int api(String method, String path, String json) {
        requireStore();
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            WardenApi api = new WardenApi(
                    store,
                    SigningKey.loadOrCreate(dataDirectory),
                    request -> new Caller(Role.ADMIN, null, "warden token"),
                    null,
                    Clock.systemUTC());
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            ApiResponse response = api.handle(new ApiRequest(
                    method,
                    path,
                    null,
                    json == null ? Map.of() : Map.of("content-type", "application/json"),
                    new ByteArrayInputStream(body),
                    body.length,
                    null));
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (response.status() >= 400) {
                spec.commandLine()
                        .getErr()
                        .println("warden token: "
                                + JSON.readTree(text).path("message").asText(text));
                return response.status() >= 500 ? 2 : 1;
            }
            out.println(
                    text.isEmpty()
                            ? "warden token: revoked"
                            : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(text)));
            out.flush();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden token: " + e.getMessage());
            return 2;
        }
    }

    private void requireStore() {
        if (!Files.isRegularFile(dataDirectory.resolve(SqliteStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--data-dir " + dataDirectory + " holds no store; it is the data directory of warden serve");
        }
    }
}
