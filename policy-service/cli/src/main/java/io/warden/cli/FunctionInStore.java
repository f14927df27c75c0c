package io.warden.cli;

import io.warden.service.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The FUNCTION parameter and {@code --data-dir} option of the commands that read what {@code warden serve} stored about
 * one function (policy suggest and apply, iam suggest), and their checks.
 */
final class FunctionInStore {

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "The function's name.")
    String function;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The data directory of `warden serve` (default: ~/.warden/service).")
    Path dataDirectory = Path.of(System.getProperty("user.home"), ".warden", "service");

    /** A usage error when FUNCTION is no Lambda function name or the data directory holds no store. */
    void check(CommandLine commandLine) {
        if (!function.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new CommandLine.ParameterException(
                    commandLine, "'" + function + "' is not a Lambda function name (1-64 letters, digits, - and _)");
        }
        if (!Files.isRegularFile(dataDirectory.resolve(SqliteStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(
                    commandLine,
                    "--data-dir " + dataDirectory + " holds no store; it is the data directory of warden serve");
        }
    }
}
