package io.warden.aws.iam;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources one IAM action of an observed call is on, from the ARN formats of the IAM action table and the
 * request members the call named. Each service's members are read as the service names its resources (an SQS queue URL
 * holds the queue's account, a Secrets Manager name stands for every secret of that name, a KMS alias is a condition
 * on the key, a DynamoDB {@code IndexName} names the index the call was on). Never narrower than the call: a part the
 * observation does not name becomes {@code *}, and an action on a resource the observation does not name at all gets
 * {@code *}. A call that names several resources of one kind (a batch's tables) is observed as one item per resource,
 * so each is a call of its own here.
 */
final class ResourceArns {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final String ANY = "*";

    /**
     * One resource an action is on.
     *
     * @param resourceType the table's {@code prefix:type}, or null for {@code *}
     * @param condition a condition the resource needs ({@code kms:ResourceAliases} for a key named by its alias), as
     *     operator, key and value, or null
     */
    record Target(String resourceType, String arn, List<String> condition) {
        static Target any() {
            return new Target(null, ANY, null);
        }
    }

    private ResourceArns() {}

    static List<Target> targets(
            IamActionTable table, IamActionTable.Action action, ObservedCall call, String account, String region) {
        if (action.resourceTypes().isEmpty()) {
            return List.of(Target.any());
        }
        Map<String, String> members = new LinkedHashMap<>();
        if (action.members().isEmpty()) {
            members.putAll(call.resources());
        } else {
            action.members().forEach((as, from) -> {
                String value = call.resources().get(from);
                if (value != null) {
                    members.put(as, value);
                }
            });
        }
        Names names = names(call.service(), members, account, call.region() != null ? call.region() : region);
        if (names.kmsAlias != null && action.resourceTypes().contains("kms:key")) {
            return List.of(new Target(
                    "kms:key",
                    fill(table.arnFormat("kms:key"), names.variables, names),
                    List.of("ForAnyValue:StringEquals", "kms:ResourceAliases", names.kmsAlias)));
        }
        for (String arn : names.arns) {
            for (String type : action.resourceTypes()) {
                if (matches(table.arnFormat(type), arn)) {
                    List<Target> targets = new ArrayList<>(List.of(new Target(type, arn, null)));
                    if (type.equals("lambda:function") && arn.split(":").length == 7) {
                        targets.add(new Target(type, arn + ":*", null));
                    }
                    return targets;
                }
            }
        }
        String best = null;
        int bestBound = 0;
        boolean bestComplete = false;
        for (String type : action.resourceTypes()) {
            int bound = 0;
            int unbound = 0;
            Matcher m = VARIABLE.matcher(table.arnFormat(type));
            while (m.find()) {
                if (!isContext(m.group(1))) {
                    if (names.variables.containsKey(m.group(1))) {
                        bound++;
                    } else {
                        unbound++;
                    }
                }
            }
            // The type whose every name the call gave, the most specific first (an index over its table); else the
            // one with the most names given.
            boolean complete = unbound == 0;
            if (bound > 0
                    && (best == null || complete && !bestComplete || complete == bestComplete && bound > bestBound)) {
                best = type;
                bestBound = bound;
                bestComplete = complete;
            }
        }
        if (best == null) {
            return List.of(Target.any());
        }
        // A call that named a table and an index is on the index alone; one that named no index, on the table.
        List<Target> targets =
                new ArrayList<>(List.of(new Target(best, fill(table.arnFormat(best), names.variables, names), null)));
        if (best.equals("lambda:function")) {
            // The call's Qualifier (a version or alias) is not observed: the qualified ARNs too.
            targets.add(new Target(best, targets.get(0).arn() + ":*", null));
        }
        return targets;
    }

    /** The partition of a region: {@code aws-cn} for China, {@code aws-us-gov} for GovCloud, else {@code aws}. */
    static String partition(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** The ARN-format variables a call's members give, the whole ARNs it named, and a KMS alias. */
    private static final class Names {
        final Map<String, String> variables = new LinkedHashMap<>();
        final List<String> arns = new ArrayList<>();
        String kmsAlias;
        String account;
        String region;
    }

    private static Names names(String service, Map<String, String> members, String account, String region) {
        Names n = new Names();
        n.account = account;
        n.region = region;
        for (Map.Entry<String, String> e : members.entrySet()) {
            String member = e.getKey();
            String value = e.getValue();
            if (value.startsWith("arn:")) {
                if (service.equals("kms") && value.contains(":alias/")) {
                    n.kmsAlias = value.substring(value.indexOf(":alias/") + 1);
                } else {
                    n.arns.add(value);
                }
                continue;
            }
            switch (service + "." + member) {
                case "dynamodb.TableName" -> n.variables.put("TableName", value);
                case "dynamodb.IndexName" -> n.variables.put("IndexName", value);
                case "s3.Bucket" -> n.variables.put("BucketName", value);
                // The agent reports an object key as its prefix: every key under it.
                case "s3.Key" -> n.variables.put("ObjectName", value + ANY);
                case "sqs.QueueName" -> n.variables.put("QueueName", value);
                case "sqs.QueueUrl" -> queueUrl(value, n);
                case "sns.Name" -> n.variables.put("TopicName", value);
                // A secret's ARN ends in a dash and six random characters after its name.
                case "secretsmanager.SecretId" -> n.variables.put("SecretId", value + "-??????");
                case "ssm.Name" ->
                    n.variables.put(
                            "ParameterNameWithoutLeadingSlash", value.startsWith("/") ? value.substring(1) : value);
                case "lambda.FunctionName" -> functionName(value, n);
                case "kms.KeyId" -> {
                    if (value.startsWith("alias/")) {
                        n.kmsAlias = value;
                    } else {
                        n.variables.put("KeyId", value);
                    }
                }
                default -> {
                    // A member that names nothing this service's ARN formats hold.
                }
            }
        }
        return n;
    }

    /** {@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME}: the queue's own account and region. */
    private static void queueUrl(String url, Names n) {
        try {
            URI uri = URI.create(url);
            String[] path =
                    uri.getPath() == null ? new String[0] : uri.getPath().split("/");
            if (path.length == 3 && path[1].matches("\\d{12}")) {
                n.account = path[1];
                n.variables.put("QueueName", path[2]);
                String host = uri.getHost() == null ? "" : uri.getHost();
                Matcher region = Pattern.compile("(?:^|\\.)([a-z]{2}(?:-[a-z]+)+-\\d)\\.")
                        .matcher(host);
                if (region.find()) {
                    n.region = region.group(1);
                }
            }
        } catch (IllegalArgumentException notAUrl) {
            // Names no queue: the action gets the table's format with the queue as *.
        }
    }

    /** A function name, {@code NAME:QUALIFIER}, or a partial ARN {@code ACCOUNT:function:NAME[:QUALIFIER]}. */
    private static void functionName(String value, Names n) {
        String[] parts = value.split(":");
        if (parts.length >= 3 && parts[1].equals("function")) {
            n.account = parts[0];
            n.variables.put("FunctionName", parts[2]);
        } else {
            n.variables.put("FunctionName", parts[0]);
        }
    }

    private static boolean isContext(String variable) {
        return variable.equals("Partition") || variable.equals("Region") || variable.equals("Account");
    }

    private static String fill(String format, Map<String, String> variables, Names n) {
        Matcher m = VARIABLE.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "Partition" -> partition(n.region);
                case "Region" -> n.region == null ? ANY : n.region;
                case "Account" -> n.account == null ? ANY : n.account;
                default -> variables.getOrDefault(m.group(1), ANY);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean matches(String format, String arn) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(format);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(format.substring(last, m.start())));
            regex.append(isContext(m.group(1)) ? "[^:]*" : ".+");
            last = m.end();
        }
        regex.append(Pattern.quote(format.substring(last)));
        return arn.matches(regex.toString());
    }
}
