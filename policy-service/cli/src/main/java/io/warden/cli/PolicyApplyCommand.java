package io.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.service.learn.PolicySuggestion;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden policy apply}: stores the suggested policy after showing what it changes. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Stores the suggested policy of the function (`warden policy suggest`) in the data directory of `warden"
                    + " serve`, which serves it to the function's agent signed: first prints what it changes against the"
                    + " policy in force (+ added, - removed, each with its evidence) and how much it rests on, then asks"
                    + " for confirmation. See docs/policy.md, \"Suggested policy\".",
            "Exit status: 0 stored (or nothing to change), 1 not confirmed or refused, 2 usage error or the store could"
                    + " not be read or written."
        })
final class PolicyApplyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the answer to the confirmation is read from. */
    InputStream confirmation = System.in;

    @CommandLine.Mixin
    FunctionInStore target;

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description = "The suggestion of this function version's observations and violations alone.")
    String version;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "Set every mode of the policy (each denyMode included, as WARDEN_MODE does): block, alert or"
                    + " off. Default: the suggestion's modes, those of the policy in force.")
    String mode;

    @Option(
            names = {"-y", "--yes"},
            description = "Store without asking (and even when the parser rejected some of the suggested entries).")
    boolean yes;

    @Override
    public Integer call() {
        target.check(spec.commandLine());
        Mode forced = null;
        if (mode != null) {
            try {
                forced = Mode.parse(mode);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (SqliteStore store = SqliteStore.open(target.dataDirectory)) {
            ObjectNode suggestion = PolicySuggestion.suggest(store, target.function, version);
            ObjectNode policy = (ObjectNode) suggestion.get("policy");
            if (forced != null) {
                setModes(policy, forced.jsonName());
            }
            String canonical = Policy.parse(JSON.writeValueAsString(policy), "suggested policy")
                    .toJson();
            String inForce =
                    store.policy(target.function).map(StoredPolicy::json).orElse(null);
            printReview(out, suggestion, canonical, inForce);
            if (canonical.equals(inForce)) {
                out.println("The policy in force of " + target.function + " is already this one; nothing stored.");
                out.flush();
                return 0;
            }
            if (!suggestion.get("rejected").isEmpty() && !yes) {
                err.println("warden policy apply: the parser rejected "
                        + suggestion.get("rejected").size()
                        + " suggested entries (above); review them, then apply with --yes");
                return 1;
            }
            if (!yes && !confirmed(out)) {
                out.println("Not stored.");
                out.flush();
                return 1;
            }
            store.putPolicy(target.function, canonical, Instant.now());
            out.println("Stored the policy of " + target.function + "; warden serve serves it to the agent signed"
                    + " (GET /v1/policies/" + target.function + ").");
            out.flush();
            return 0;
        } catch (Exception e) {
            err.println("warden policy apply: " + e.getMessage());
            return 2;
        }
    }

    /** Every mode and denyMode, top level and of each section, as WARDEN_MODE overrides them. */
    private static void setModes(ObjectNode policy, String mode) {
        policy.put("mode", mode);
        for (Iterator<JsonNode> sections = policy.elements(); sections.hasNext(); ) {
            if (sections.next() instanceof ObjectNode section) {
                if (section.has("mode")) {
                    section.put("mode", mode);
                }
                if (section.has("denyMode")) {
                    section.put("denyMode", mode);
                }
            }
        }
    }

    private void printReview(PrintWriter out, ObjectNode suggestion, String canonical, String inForce)
            throws Exception {
        out.println("Policy of " + target.function + (inForce == null ? " (none stored yet)" : "") + ":");
        JsonNode modeBefore = inForce == null ? null : JSON.readTree(inForce).get("mode");
        String modeAfter = JSON.readTree(canonical).path("mode").asText("block");
        String before = modeBefore == null ? "block" : modeBefore.asText();
        if (!before.equals(modeAfter)) {
            out.println("~ mode " + before + " -> " + modeAfter);
        }
        for (JsonNode entry : suggestion.get("added")) {
            out.println("+ " + entry.get("list").asText() + " " + entry.get("entry") + evidence(entry));
        }
        for (JsonNode entry : suggestion.get("removed")) {
            out.println(
                    "- " + entry.get("list").asText() + " " + entry.get("entry") + "  (nothing observed needed it)");
        }
        for (JsonNode entry : suggestion.get("rejected")) {
            out.println("! " + entry.get("list").asText() + " \""
                    + entry.get("entry").asText() + "\" rejected: "
                    + entry.get("message").asText());
        }
        JsonNode observed = suggestion.get("observed");
        JsonNode observations = observed.get("observations");
        out.println("Rests on: " + observations.get("lines").asLong() + " observation lines ("
                + observations.get("items").asLong() + " items, " + text(observations.get("firstSeen")) + " to "
                + text(observations.get("lastSeen")) + "), "
                + observed.get("events").asLong()
                + " violation events (" + observed.get("invocations").asLong() + " request ids), versions "
                + versions(observations) + "; " + (observed.get("narrowed").asBoolean() ? "narrowed" : "not narrowed")
                + ".");
        for (JsonNode warning : observed.get("warnings")) {
            out.println("Warning: " + warning.asText());
        }
        out.flush();
    }

    private static String evidence(JsonNode entry) {
        if (entry.has("reason")) {
            return "  (" + entry.get("reason").asText() + ")";
        }
        return "  (" + entry.get("count").asLong() + " seen, last "
                + entry.get("lastSeen").asText()
                + (entry.get("caller").isNull()
                        ? ""
                        : ", by " + entry.get("caller").asText()) + awsCalls(entry.get("aws")) + ")";
    }

    /** An AWS endpoint's observed SDK calls, or that it has none (then it deserves a look). */
    private static String awsCalls(JsonNode aws) {
        if (aws == null) {
            return "";
        }
        if (aws.get("calls").isEmpty()) {
            return "; no observed AWS SDK call has this endpoint";
        }
        Set<String> calls = new TreeSet<>();
        aws.get("calls")
                .forEach(call -> calls.add(call.get("service").asText() + " "
                        + call.get("operation").asText()));
        return "; endpoint of " + String.join(", ", calls)
                + (aws.get("distinctCalls").asInt() > aws.get("calls").size() ? " and more" : "");
    }

    private static String versions(JsonNode observations) {
        StringBuilder versions = new StringBuilder();
        for (JsonNode version : observations.get("versions")) {
            versions.append(versions.isEmpty() ? "" : ", ")
                    .append(version.get("version").asText());
        }
        return versions.isEmpty() ? "none" : versions.toString();
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText();
    }

    private boolean confirmed(PrintWriter out) throws Exception {
        out.print("Store this policy for " + target.function + "? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(confirmation, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
    }
}
