package io.warden.aws.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** One account of the fake: functions and layers per region, roles, and the role the scanner may assume. */
public final class FakeAccount {
    final String id;
    final FakeAws aws;
    /** region -> function name -> function; iteration follows names, as ListFunctions pages do. */
    final Map<String, java.util.concurrent.ConcurrentSkipListMap<String, FakeFunction>> functions =
            new ConcurrentHashMap<>();
    /** layer version ARN -> CodeSha256 */
    final Map<String, String> layerVersions = new ConcurrentHashMap<>();

    final Map<String, Role> roles = new ConcurrentHashMap<>();
    String assumableRole;
    /** secret ARN -> its current SecretString */
    final Map<String, String> secrets = new ConcurrentHashMap<>();

    record Role(String name, List<String> attached, Map<String, String> inline) {}

    FakeAccount(FakeAws aws, String id) {
        this.aws = aws;
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Deploys (or replaces) a function in a region. */
    public FakeFunction function(String region, String name) {
        FakeFunction f = new FakeFunction(name);
        functions
                .computeIfAbsent(region, r -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .put(name, f);
        return f;
    }

    public void deleteFunction(String region, String name) {
        functions
                .getOrDefault(region, new java.util.concurrent.ConcurrentSkipListMap<>())
                .remove(name);
    }

    public String functionArn(String region, String name) {
        return "arn:aws:lambda:" + region + ":" + id + ":function:" + name;
    }

    /** Publishes the next version of a layer with this content; returns the layer version's ARN. */
    public synchronized String publishLayer(String region, String name, String codeSha256) {
        String prefix = "arn:aws:lambda:" + region + ":" + id + ":layer:" + name + ":";
        long next = layerVersions.keySet().stream()
                        .filter(a -> a.startsWith(prefix))
                        .mapToLong(a -> Long.parseLong(a.substring(prefix.length())))
                        .max()
                        .orElse(0)
                + 1;
        layerVersions.put(prefix + next, codeSha256);
        return prefix + next;
    }

    /** Creates a role; returns its ARN. Inline policies by name, managed ones by ARN ({@link FakeAws#managedPolicy}). */
    public String role(String name, List<String> attachedPolicyArns, Map<String, String> inlinePolicies) {
        roles.put(name, new Role(name, new ArrayList<>(attachedPolicyArns), Map.copyOf(inlinePolicies)));
        return "arn:aws:iam::" + id + ":role/service-role/" + name;
    }

    /**
     * Creates a Secrets Manager secret holding this string; returns its ARN, which ends, as AWS's do, in a hyphen and
     * six random characters after the name.
     */
    public String secret(String region, String name, String value) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String arn = "arn:aws:secretsmanager:" + region + ":" + id + ":secret:" + name + "-" + suffix;
        secrets.put(arn, value);
        return arn;
    }

    /** Lets the scanner's base identity assume this role name in this account. */
    public FakeAccount trustScannerRole(String roleName) {
        assumableRole = roleName;
        return this;
    }
}
