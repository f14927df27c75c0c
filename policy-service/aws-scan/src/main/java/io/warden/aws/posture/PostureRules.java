package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import java.util.ArrayList;
import java.util.List;

/** Every posture rule, in one place. */
public final class PostureRules {
    public static final List<PostureRule> ALL = List.of(
            new DeprecatedRuntimeRule(RuntimeDeprecations.load()),
            new PublicFunctionUrlRule(),
            new PublicInvokePolicyRule(),
            new EnvironmentSecretsRule(),
            new WardenCoverageRule(),
            new AdministratorAccessRule(),
            new WildcardActionRule(),
            new PassRoleOnAnyResourceRule(),
            new IamUnusedPermissionsRule());

    private PostureRules() {}

    public static List<Finding> evaluate(FunctionContext function) {
        List<Finding> findings = new ArrayList<>();
        for (PostureRule rule : ALL) {
            findings.addAll(rule.evaluate(function));
        }
        return findings;
    }
}
