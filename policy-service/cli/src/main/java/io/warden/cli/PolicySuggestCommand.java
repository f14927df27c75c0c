package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden policy suggest}: the policy a function's stored violations show it needs. */
@Command(
        name = "suggest",
        mixinStandardHelpOptions = true,
        description = {
            "Suggests the smallest policy that allows the function's policy in force plus everything its"
                    + " alert-mode violations show it did, from what `warden serve` stored in its data directory: the"
                    + " policy, each added entry with its evidence (count, first and last seen, caller, example target),"
                    + " the entries the parser rejected and how much was observed. Blocked operations, deny-list matches"
                    + " and the built-in deny set never become entries. The same as GET"
                    + " /v1/functions/{function}/suggested-policy.",
            "Exit status: 0 printed, 2 usage error or the store could not be read."
        })
final class PolicySuggestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "The function's name.")
    String function;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The data directory of `warden serve`" + " (default: ~/.warden/service).")
    Path dataDirectory = Path.of(System.getProperty("user.home"), ".warden", "service");

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description = "Only this function version's observations and violations (default: every version's).")
    String version;

    @Option(names = "--policy-only", description = "Print only the suggested policy, ready to review and store.")
    boolean policyOnly;

    @Override
    public Integer call() {
        if (!function.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'" + function + "' is not a Lambda function name (1-64 letters, digits, - and _)");
        }
        if (!Files.isRegularFile(dataDirectory.resolve(SqliteStore.FILE_NAME))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--data-dir " + dataDirectory + " holds no store; it is the data directory of warden serve");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            ObjectNode suggestion = PolicySuggestion.suggest(store, function, version);
            out.println(new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(policyOnly ? suggestion.get("policy") : suggestion));
            out.flush();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden policy suggest: " + e.getMessage());
            return 2;
        }
    }
}
