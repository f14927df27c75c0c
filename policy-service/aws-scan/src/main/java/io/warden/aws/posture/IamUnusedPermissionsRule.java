package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.iam.IamActionTable;
import io.warden.aws.iam.IamPolicySuggestion;
import io.warden.aws.iam.ObservedCalls;
import io.warden.aws.iam.RoleComparison;
import io.warden.scanner.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iam-unused-permissions} (low): the execution role grants an action on a resource that none of the function's
 * observed AWS SDK calls needed ({@link RoleComparison}). Only for a function whose agent observations reached the scan;
 * what the Lambda service itself uses the role for (logs, X-Ray, a VPC, event source mappings) is never reported.
 */
public final class IamUnusedPermissionsRule implements PostureRule {
    public static final String ID = "iam-unused-permissions";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        ObservedCalls observed = f.observed();
        if (f.role() == null || observed == null || observed.evidence().lines() == 0) {
            return List.of();
        }
        IamPolicySuggestion suggestion = IamPolicySuggestion.suggest(
                IamActionTable.load(),
                observed.calls(),
                f.function().accountId(),
                f.function().region(),
                observed.evidence());
        String seen = observed.evidence().lines() + " observation line(s) over "
                + observed.evidence().span();
        List<Finding> findings = new ArrayList<>();
        for (RoleComparison.Unused u :
                RoleComparison.compare(suggestion, f.role()).unused()) {
            if (u.usedByLambda()) {
                continue;
            }
            RoleComparison.RoleGrant g = u.grant();
            findings.add(new Finding(
                    f.function().functionArn(),
                    FindingType.POSTURE,
                    ID,
                    Severity.LOW,
                    g.policy() + ":" + g.action() + ":" + g.resource(),
                    "The execution role " + f.role().roleArn() + " allows " + g.action() + " on " + g.resource()
                            + " through " + g.policy() + ", which no call observed in " + seen + " needed",
                    "Remove it once the function's rare paths have run under observation, or replace the role's"
                            + " policy with the suggested one: warden iam suggest "
                            + f.function().functionName()));
        }
        return findings;
    }
}
