package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.aws.iam.PolicyStatement;
import io.warden.scanner.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code invoke-policy-public} (critical): a statement of the function's resource policy lets {@code Principal: "*"}
 * invoke it with no condition, so any AWS account can. (A public function URL's own statement carries the
 * {@code lambda:FunctionUrlAuthType} condition and is reported by {@link PublicFunctionUrlRule} instead.)
 */
public final class PublicInvokePolicyRule implements PostureRule {
    public static final String ID = "invoke-policy-public";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        if (f.resourcePolicy() == null) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (PolicyStatement s : f.resourcePolicy().statements()) {
            if (s.anyPrincipal()
                    && !s.hasCondition()
                    && (s.grants("lambda:InvokeFunction") || s.grants("lambda:InvokeFunctionUrl"))) {
                findings.add(new Finding(
                        f.function().functionArn(),
                        FindingType.POSTURE,
                        ID,
                        Severity.CRITICAL,
                        "statement:" + s.sid(),
                        "Resource policy statement '" + s.sid()
                                + "' lets any principal invoke the function without a condition",
                        "Name the principals that may invoke the function (an account, a service with"
                                + " aws:SourceArn/aws:SourceAccount conditions) instead of \"*\": aws lambda"
                                + " remove-permission --statement-id " + s.sid() + ", then add-permission."));
            }
        }
        return findings;
    }
}
