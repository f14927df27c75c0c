package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @CommandLine.Mixin
    FunctionInStore target;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "json (everything, the default), policy (the policy document alone) or sam (the SAM"
                    + " Policies: snippet to paste).")
    Format format = Format.json;

    @Override
    public Integer call() {
        target.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore store = SqliteStore.open(target.dataDirectory)) {
            ObjectNode suggestion = IamSuggestions.suggest(store, target.function);
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
