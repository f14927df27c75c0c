package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.iam.PolicyStatement;
import io.warden.aws.iam.RolePermissions;
import io.warden.scanner.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code role-administrator} (critical): the execution role has the AdministratorAccess managed policy, or a policy
 * allowing every action on every resource; code running in the function can do anything in the account.
 */
public final class AdministratorAccessRule implements PostureRule {
    public static final String ID = "role-administrator";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        if (f.role() == null) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (RolePermissions.NamedPolicy p : f.role().all()) {
            boolean admin = p.name().equals(RolePermissions.ADMINISTRATOR_ACCESS)
                    || p.document().statements().stream().anyMatch(s -> isAdministrator(s));
            if (admin) {
                findings.add(new Finding(
                        f.function().functionArn(),
                        FindingType.POSTURE,
                        ID,
                        Severity.CRITICAL,
                        p.name(),
                        "The execution role " + f.role().roleArn() + " has administrator access through " + p.name(),
                        "Give the function a role of its own that allows only the actions and resources it uses"
                                + " (IAM Access Analyzer can generate one from CloudTrail activity)."));
            }
        }
        return findings;
    }

    /** Allows every action ({@code *}, or {@code NotAction} with only exclusions) on every resource. */
    static boolean isAdministrator(PolicyStatement s) {
        return s.allow()
                && s.onAnyResource()
                && (s.actions().contains("*") || !s.notActions().isEmpty());
    }
}
