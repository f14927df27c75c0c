package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden iam suggest}: the IAM policy a function's observed AWS SDK calls need. */
@Command(
        name = "suggest",
        mixinStandardHelpOptions = true,
        description = {
            "Suggests the least-privilege IAM policy of a function from the AWS SDK calls Warden's agent observed it"
                    + " make, as `warden serve` stored them in its data directory: each operation mapped to its IAM"
                    + " actions, each resource to its ARN, grouped per service and resource type, with the evidence for"
                    + " each grant and how much was observed. Compared with the function's execution role when"
                    + " `warden aws scan --data-dir` put it in the same directory: unused, missing and wildcard grants."
                    + " The same as GET /v1/functions/{function}/suggested-iam-policy.",
            "Exit status: 0 printed, 2 usage error or the store could not be read."
        })
final class IamSuggestCommand implements Callable<Integer> {

    /** What to print. */
    enum Format {
        json,
        policy,
        sam
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "The function's name.")
    String function;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The data directory of `warden serve` (default: ~/.warden/service).")
    Path dataDirectory = Path.of(System.getProperty("user.home"), ".warden", "service");

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "json (everything, the default), policy (the policy document alone) or sam (the SAM"
                    + " Policies: snippet to paste).")
    Format format = Format.json;

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
            ObjectNode suggestion = IamSuggestions.suggest(store, function);
            switch (format) {
                case sam -> out.print(suggestion.get("sam").asText());
                case policy -> out.println(pretty(suggestion.get("policy")));
                case json -> out.println(pretty(suggestion));
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden iam suggest: " + e.getMessage());
            return 2;
        }
    }

    private static String pretty(Object json) throws java.io.IOException {
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }
}
