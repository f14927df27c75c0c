package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.iam.PolicyStatement;
import io.warden.aws.iam.RolePermissions;
import io.warden.scanner.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code role-passrole-any} (high): the execution role may pass any role ({@code iam:PassRole} on {@code *}), so code
 * in the function can hand a more privileged role to a new function or instance and act with it.
 */
public final class PassRoleOnAnyResourceRule implements PostureRule {
    public static final String ID = "role-passrole-any";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        if (f.role() == null) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (RolePermissions.NamedPolicy p : f.role().all()) {
            for (PolicyStatement s : p.document().statements()) {
                if (s.onAnyResource() && s.grants("iam:PassRole") && !AdministratorAccessRule.isAdministrator(s)) {
                    findings.add(new Finding(
                            f.function().functionArn(),
                            FindingType.POSTURE,
                            ID,
                            Severity.HIGH,
                            p.name() + ":" + s.sid(),
                            "The execution role " + f.role().roleArn()
                                    + " may pass any role (iam:PassRole on *) through " + p.name(),
                            "Limit iam:PassRole to the ARNs of the roles the function really passes, with an"
                                    + " iam:PassedToService condition."));
                }
            }
        }
        return findings;
    }
}
