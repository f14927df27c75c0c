package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.iam.PolicyStatement;
import io.warden.aws.iam.RolePermissions;
import io.warden.scanner.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code role-wildcard-action} (medium): the execution role allows every action of a service ({@code s3:*}). Every
 * action on every resource is {@link AdministratorAccessRule}'s.
 */
public final class WildcardActionRule implements PostureRule {
    public static final String ID = "role-wildcard-action";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        if (f.role() == null) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (RolePermissions.NamedPolicy p : f.role().all()) {
            for (PolicyStatement s : p.document().statements()) {
                if (!s.allow() || AdministratorAccessRule.isAdministrator(s)) {
                    continue;
                }
                for (String action : s.actions()) {
                    if (action.equals("*") || action.endsWith(":*")) {
                        findings.add(new Finding(
                                f.function().functionArn(),
                                FindingType.POSTURE,
                                ID,
                                Severity.MEDIUM,
                                p.name() + ":" + action,
                                "The execution role " + f.role().roleArn() + " allows " + action + " through "
                                        + p.name(),
                                "List the actions the function calls instead of " + action + "."));
                    }
                }
            }
        }
        return findings;
    }
}
