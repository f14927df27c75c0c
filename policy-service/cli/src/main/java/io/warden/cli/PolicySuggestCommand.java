package io.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden policy suggest}: the policy a function's stored observations and violations show it needs. */
@Command(
        name = "suggest",
        mixinStandardHelpOptions = true,
        description = {
            "Suggests the smallest policy that allows everything the function was observed doing and its"
                    + " alert-mode violations show it did (and its policy in force, unless whole observations narrow"
                    + " it), from what `warden serve` stored in its data directory: the"
                    + " policy, each added entry with its evidence (count, first and last seen, caller, example target;"
                    + " for an AWS endpoint, the observed SDK calls whose endpoint it is by the SDK's endpoint rules),"
                    + " the entries the parser rejected and how much was observed. Blocked operations, deny-list matches"
                    + " and the built-in deny set never become entries. The same as GET"
                    + " /v1/functions/{function}/suggested-policy.",
            "Exit status: 0 printed, 2 usage error or the store could not be read."
        })
final class PolicySuggestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    FunctionInStore target;

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description = "Only this function version's observations and violations (default: every version's).")
    String version;

    @Option(names = "--policy-only", description = "Print only the suggested policy, ready to review and store.")
    boolean policyOnly;

    @Override
    public Integer call() {
        target.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteStore store = SqliteStore.open(target.dataDirectory)) {
            ObjectNode suggestion = PolicySuggestion.suggest(store, target.function, version);
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
