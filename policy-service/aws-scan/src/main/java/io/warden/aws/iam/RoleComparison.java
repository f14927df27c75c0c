package io.warden.aws.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A suggested policy against the execution role the function has: what the role grants that no observed call needed
 * (unused), what an observed call needed that the role does not grant or that was denied (missing), and the wildcard
 * grants the observation narrows. Statements are read as the role's identity policies say; conditions are taken as
 * met, and resource policies, boundaries and SCPs are not seen, so a denied call is missing whatever the role says.
 */
public final class RoleComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Actions the Lambda service itself uses with the function's role (logs, X-Ray, a VPC's network interfaces, event
     * source mappings polling queues and streams): granted but never called by the function's own code, so never
     * reported as unused.
     */
    static final List<String> USED_BY_LAMBDA = List.of(
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:ListStreams",
            "kinesis:SubscribeToShard",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeStream",
            "dynamodb:ListStreams");

    /** A grant of the role: one action pattern on one resource pattern of one statement. */
    public record RoleGrant(String policy, String sid, String action, String resource) {}

    /** A role grant no observed call needed; {@code usedByLambda} when the Lambda service may use it itself. */
    public record Unused(RoleGrant grant, boolean usedByLambda) {}

    /** A wildcard role grant and what the observed calls needed of it. */
    public record Narrowed(RoleGrant grant, List<String> needed) {}

    /** An observed need the role does not grant, or a call that was denied ({@code deniedError}). */
    public record Missing(IamPolicySuggestion.Grant grant, String deniedError) {}

    private final String roleArn;
    private final List<Unused> unused;
    private final List<Missing> missing;
    private final List<Narrowed> narrowed;

    private RoleComparison(String roleArn, List<Unused> unused, List<Missing> missing, List<Narrowed> narrowed) {
        this.roleArn = roleArn;
        this.unused = List.copyOf(unused);
        this.missing = List.copyOf(missing);
        this.narrowed = List.copyOf(narrowed);
    }

    public static RoleComparison compare(IamPolicySuggestion suggestion, RolePermissions role) {
        List<Unused> unused = new ArrayList<>();
        List<Narrowed> narrowed = new ArrayList<>();
        for (RolePermissions.NamedPolicy p : role.all()) {
            for (PolicyStatement s : p.document().statements()) {
                if (!s.allow()) {
                    continue;
                }
                List<String> actions = s.notActions().isEmpty() ? s.actions() : List.of("NotAction:" + s.notActions());
                List<String> resources = s.resources().isEmpty() ? List.of("*") : s.resources();
                for (String action : actions) {
                    for (String resource : resources) {
                        RoleGrant grant = new RoleGrant(p.name(), s.sid(), action, resource);
                        Set<String> needed = new TreeSet<>();
                        for (IamPolicySuggestion.Grant g : suggestion.grants()) {
                            boolean actionMatches = s.notActions().isEmpty()
                                    ? PolicyStatement.wildcardMatches(action, g.action())
                                    : s.grants(g.action());
                            if (actionMatches && PolicyStatement.wildcardMatches(resource, g.resource())) {
                                needed.add(g.action() + " on " + g.resource());
                            }
                        }
                        if (needed.isEmpty()) {
                            unused.add(new Unused(grant, usedByLambda(action)));
                        } else if ((action.contains("*") || action.contains("?") || resource.contains("*"))
                                && !exactlyNeeded(suggestion, action, resource)) {
                            narrowed.add(new Narrowed(grant, List.copyOf(needed)));
                        }
                    }
                }
            }
        }
        List<Missing> missing = new ArrayList<>();
        for (IamPolicySuggestion.Grant g : suggestion.grants()) {
            String denied = g.calls().stream()
                    .filter(ObservedCall::denied)
                    .map(ObservedCall::error)
                    .findFirst()
                    .orElse(null);
            if (denied != null || !allows(role, g.action(), g.resource())) {
                missing.add(new Missing(g, denied));
            }
        }
        return new RoleComparison(role.roleArn(), unused, missing, narrowed);
    }

    /** Whether the role's statements allow the action on the resource, and no statement denies it. */
    static boolean allows(RolePermissions role, String action, String resource) {
        boolean allowed = false;
        for (RolePermissions.NamedPolicy p : role.all()) {
            for (PolicyStatement s : p.document().statements()) {
                boolean actionMatches = s.notActions().isEmpty()
                        ? s.actions().stream().anyMatch(a -> PolicyStatement.wildcardMatches(a, action))
                        : s.notActions().stream().noneMatch(a -> PolicyStatement.wildcardMatches(a, action));
                boolean resourceMatches =
                        s.resources().stream().anyMatch(r -> PolicyStatement.wildcardMatches(r, resource));
                if (actionMatches && resourceMatches) {
                    if (!s.allow() && !s.hasCondition()) {
                        return false;
                    }
                    allowed |= s.allow();
                }
            }
        }
        return allowed;
    }

    private static boolean exactlyNeeded(IamPolicySuggestion suggestion, String action, String resource) {
        return suggestion.grants().stream()
                .anyMatch(
                        g -> g.action().equalsIgnoreCase(action) && g.resource().equals(resource));
    }

    private static boolean usedByLambda(String action) {
        return USED_BY_LAMBDA.stream().anyMatch(a -> PolicyStatement.wildcardMatches(action, a));
    }

    public String roleArn() {
        return roleArn;
    }

    public List<Unused> unused() {
        return unused;
    }

    public List<Missing> missing() {
        return missing;
    }

    public List<Narrowed> narrowed() {
        return narrowed;
    }

    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("arn", roleArn);
        ArrayNode unusedArray = out.putArray("unused");
        for (Unused u : unused) {
            grant(unusedArray.addObject(), u.grant()).put("usedByLambda", u.usedByLambda());
        }
        ArrayNode missingArray = out.putArray("missing");
        for (Missing m : missing) {
            ObjectNode n = missingArray.addObject();
            n.put("action", m.grant().action());
            n.put("resource", m.grant().resource());
            n.put("deniedError", m.deniedError());
            ArrayNode calls = n.putArray("calls");
            m.grant().calls().forEach(c -> calls.add(c.name()));
        }
        ArrayNode narrowedArray = out.putArray("wildcards");
        for (Narrowed w : narrowed) {
            ArrayNode needed = grant(narrowedArray.addObject(), w.grant()).putArray("needed");
            w.needed().forEach(needed::add);
        }
        return out;
    }

    private static ObjectNode grant(ObjectNode n, RoleGrant g) {
        n.put("policy", g.policy());
        n.put("sid", g.sid());
        n.put("action", g.action());
        n.put("resource", g.resource());
        return n;
    }
}
