package io.warden.aws.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The IAM policy a function's observed AWS SDK calls need: each call's operation to its IAM actions
 * ({@link IamActionTable}), each action to the resources the call named ({@link ResourceArns}), as one statement per
 * service, resource type and set of actions, so that no statement grants an action on a resource no call needed it on.
 * Never narrower than what was observed: a call to a service or operation the table does not know gets the action of
 * its own name on {@code *}, marked unreviewed; a call that was denied is in it too (the role is then missing it).
 */
public final class IamPolicySuggestion {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** IAM prefixes that differ from the SDK's signing name. */
    private static final Map<String, String> PREFIXES = Map.of("monitoring", "cloudwatch", "email", "ses");

    /**
     * One action on one resource, and the observed calls that need it.
     *
     * @param resourceType the table's {@code prefix:type}, or null for {@code *}
     * @param condition operator, key and value, or null
     * @param reviewed false when the action was guessed from the operation's name (a service or operation the table
     *     does not cover)
     */
    public record Grant(
            String action,
            String resourceType,
            String resource,
            List<String> condition,
            boolean reviewed,
            List<ObservedCall> calls) {}

    private final String account;
    private final String region;
    private final ObservationEvidence evidence;
    private final List<Grant> grants;
    private final List<ObservedCall> unmapped;
    private final String iamData;

    private IamPolicySuggestion(
            String account,
            String region,
            ObservationEvidence evidence,
            List<Grant> grants,
            List<ObservedCall> unmapped,
            String iamData) {
        this.account = account;
        this.region = region;
        this.evidence = evidence;
        this.grants = List.copyOf(grants);
        this.unmapped = List.copyOf(unmapped);
        this.iamData = iamData;
    }

    /**
     * @param account the function's account (for ARNs whose call did not name another), or null when unknown
     * @param region the function's region (for calls without one), or null
     */
    public static IamPolicySuggestion suggest(
            IamActionTable table,
            List<ObservedCall> calls,
            String account,
            String region,
            ObservationEvidence evidence) {
        Map<List<Object>, List<ObservedCall>> byGrant = new LinkedHashMap<>();
        Map<List<Object>, Boolean> reviewed = new LinkedHashMap<>();
        List<ObservedCall> unmapped = new ArrayList<>();
        List<ObservedCall> sorted = new ArrayList<>(calls);
        sorted.sort(Comparator.comparing(ObservedCall::service)
                .thenComparing(ObservedCall::operation)
                .thenComparing(c -> c.resources().toString()));
        for (ObservedCall call : sorted) {
            List<IamActionTable.Action> actions;
            boolean known = table.knows(call.service(), call.operation());
            if (known) {
                actions = table.actions(call.service(), call.operation());
                if (actions.isEmpty()) {
                    unmapped.add(call);
                    continue;
                }
            } else {
                String prefix = PREFIXES.getOrDefault(call.service(), call.service());
                actions = List.of(
                        new IamActionTable.Action(prefix + ":" + call.operation(), "Unknown", List.of(), Map.of()));
            }
            for (IamActionTable.Action action : actions) {
                for (ResourceArns.Target target : ResourceArns.targets(table, action, call, account, region)) {
                    List<Object> key = new ArrayList<>();
                    key.add(action.name());
                    key.add(target.resourceType() == null ? "" : target.resourceType());
                    key.add(target.arn());
                    key.add(target.condition() == null ? List.of() : target.condition());
                    byGrant.computeIfAbsent(key, k -> new ArrayList<>()).add(call);
                    reviewed.merge(key, known, Boolean::logicalAnd);
                }
            }
        }
        List<Grant> grants = new ArrayList<>();
        byGrant.forEach((key, evidenceCalls) -> {
            @SuppressWarnings("unchecked")
            List<String> condition = (List<String>) key.get(3);
            String type = (String) key.get(1);
            grants.add(new Grant(
                    (String) key.get(0),
                    type.isEmpty() ? null : type,
                    (String) key.get(2),
                    condition.isEmpty() ? null : condition,
                    reviewed.get(key),
                    List.copyOf(evidenceCalls)));
        });
        return new IamPolicySuggestion(account, region, evidence, grants, unmapped, table.iamData());
    }

    public List<Grant> grants() {
        return grants;
    }

    /** Calls whose operation the reference data has no IAM action for: not in the policy. */
    public List<ObservedCall> unmapped() {
        return unmapped;
    }

    public ObservationEvidence evidence() {
        return evidence;
    }

    /**
     * The policy document: per IAM prefix, resource type and condition, the resources that need the same set of
     * actions share one statement.
     */
    public ObjectNode policyDocument() {
        ObjectNode document = JSON.createObjectNode();
        document.put("Version", "2012-10-17");
        ArrayNode statements = document.putArray("Statement");
        for (Statement s : statements()) {
            ObjectNode statement = statements.addObject();
            statement.put("Sid", s.sid);
            statement.put("Effect", "Allow");
            ArrayNode actions = statement.putArray("Action");
            s.actions.forEach(actions::add);
            ArrayNode resources = statement.putArray("Resource");
            s.resources.forEach(resources::add);
            if (s.condition != null) {
                statement
                        .putObject("Condition")
                        .putObject(s.condition.get(0))
                        .put(s.condition.get(1), s.condition.get(2));
            }
        }
        return document;
    }

    /** The same document as the {@code Policies:} property of an {@code AWS::Serverless::Function}, in YAML. */
    public String samPolicies() {
        StringBuilder yaml = new StringBuilder("Policies:\n  - Version: '2012-10-17'\n    Statement:\n");
        List<Statement> statements = statements();
        if (statements.isEmpty()) {
            yaml.setLength(0);
            return yaml.append("Policies: []\n").toString();
        }
        for (Statement s : statements) {
            yaml.append("      - Sid: ").append(quote(s.sid)).append('\n');
            yaml.append("        Effect: Allow\n");
            yaml.append("        Action:\n");
            s.actions.forEach(a -> yaml.append("          - ").append(quote(a)).append('\n'));
            yaml.append("        Resource:\n");
            s.resources.forEach(
                    r -> yaml.append("          - ").append(quote(r)).append('\n'));
            if (s.condition != null) {
                yaml.append("        Condition:\n          ")
                        .append(quote(s.condition.get(0)))
                        .append(":\n            ")
                        .append(quote(s.condition.get(1)))
                        .append(": ")
                        .append(quote(s.condition.get(2)))
                        .append('\n');
            }
        }
        return yaml.toString();
    }

    /** The suggestion as {@code warden iam suggest} prints it, compared with {@code role} when it is known. */
    public ObjectNode toJson(String function, RolePermissions role) {
        ObjectNode out = JSON.createObjectNode();
        out.put("function", function);
        out.put("account", account);
        out.put("region", region);
        out.set("confidence", confidence());
        out.set("policy", policyDocument());
        out.put("sam", samPolicies());
        ArrayNode evidenceArray = out.putArray("evidence");
        for (Grant g : grants) {
            ObjectNode e = evidenceArray.addObject();
            e.put("action", g.action());
            e.put("resource", g.resource());
            if (g.condition() != null) {
                e.put("condition", String.join(" ", g.condition()));
            }
            e.put("reviewed", g.reviewed());
            ArrayNode callsArray = e.putArray("calls");
            g.calls().forEach(c -> callsArray.add(call(c)));
        }
        ArrayNode unmappedArray = out.putArray("unmapped");
        unmapped.forEach(c -> unmappedArray.add(call(c)));
        if (role == null) {
            out.putNull("role");
        } else {
            out.set("role", RoleComparison.compare(this, role).toJson());
        }
        out.put("iamData", iamData);
        return out;
    }

    private ObjectNode confidence() {
        ObjectNode c = JSON.createObjectNode();
        c.put("observationLines", evidence.lines());
        c.put(
                "firstSeen",
                evidence.firstSeen() == null ? null : evidence.firstSeen().toString());
        c.put(
                "lastSeen",
                evidence.lastSeen() == null ? null : evidence.lastSeen().toString());
        c.put("span", evidence.span().toString());
        ArrayNode versions = c.putArray("versions");
        evidence.versions().forEach(versions::add);
        c.put("dropped", evidence.dropped());
        long calls = grants.stream().flatMap(g -> g.calls().stream()).distinct().count();
        c.put("distinctCalls", calls + unmapped.size());
        c.put(
                "note",
                evidence.lines() == 0
                        ? "nothing was observed: the policy grants nothing"
                        : "allows every call observed in " + evidence.lines() + " observation line(s) over "
                                + evidence.span()
                                + (evidence.dropped() > 0
                                        ? ", but " + evidence.dropped()
                                                + " distinct item(s) were dropped by the caps and are not in it"
                                        : "")
                                + "; a code path that did not run in this period is not in it");
        return c;
    }

    private static ObjectNode call(ObservedCall c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("call", c.name());
        n.put("region", c.region());
        ObjectNode resources = n.putObject("resources");
        c.resources().forEach(resources::put);
        n.put("count", c.count());
        n.put("firstSeen", c.firstSeen() == null ? null : c.firstSeen().toString());
        n.put("lastSeen", c.lastSeen() == null ? null : c.lastSeen().toString());
        n.put("caller", c.lastCaller());
        n.put("error", c.error());
        return n;
    }

    /** One statement of the document. */
    private record Statement(String sid, Set<String> actions, Set<String> resources, List<String> condition) {}

    private List<Statement> statements() {
        // prefix|type|condition -> resource -> actions
        Map<String, Map<String, TreeSet<String>>> byGroup = new TreeMap<>();
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        for (Grant g : grants) {
            String prefix = g.action().substring(0, g.action().indexOf(':'));
            String group = prefix + "|" + (g.resourceType() == null ? "" : g.resourceType()) + "|"
                    + (g.condition() == null ? "" : String.join(" ", g.condition()));
            conditions.put(group, g.condition());
            byGroup.computeIfAbsent(group, k -> new TreeMap<>())
                    .computeIfAbsent(g.resource(), k -> new TreeSet<>())
                    .add(g.action());
        }
        List<Statement> statements = new ArrayList<>();
        Map<String, Integer> sids = new TreeMap<>();
        byGroup.forEach((group, resources) -> {
            Map<TreeSet<String>, TreeSet<String>> byActions = new TreeMap<>(Comparator.comparing(Object::toString));
            resources.forEach((resource, actions) ->
                    byActions.computeIfAbsent(actions, k -> new TreeSet<>()).add(resource));
            String[] parts = group.split("\\|", -1);
            String type = parts[1].isEmpty() ? "Any" : parts[1].substring(parts[1].indexOf(':') + 1);
            String base = sidPart(parts[0]) + sidPart(type);
            byActions.forEach((actions, arns) -> {
                int n = sids.merge(base, 1, Integer::sum);
                statements.add(new Statement(n == 1 ? base : base + n, actions, arns, conditions.get(group)));
            });
        });
        return statements;
    }

    /** {@code s3-object-lambda} and {@code function alias} as {@code S3ObjectLambda}, {@code FunctionAlias}. */
    private static String sidPart(String text) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return out.toString();
    }

    /** A YAML scalar in single quotes (a {@code *} or a {@code :} alone would mean something else). */
    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
