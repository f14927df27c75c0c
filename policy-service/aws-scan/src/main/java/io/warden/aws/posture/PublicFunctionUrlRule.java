package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.scanner.Severity;
import java.util.List;

/** {@code function-url-public} (high): the function has a URL with {@code AuthType: NONE}, callable by anyone. */
public final class PublicFunctionUrlRule implements PostureRule {
    public static final String ID = "function-url-public";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        if (!"NONE".equals(f.functionUrlAuthType())) {
            return List.of();
        }
        return List.of(new Finding(
                f.function().functionArn(),
                FindingType.POSTURE,
                ID,
                Severity.HIGH,
                "function-url",
                "The function URL has AuthType NONE: anyone on the internet can invoke the function",
                "Set the function URL's AuthType to AWS_IAM, or put the function behind API Gateway with an"
                        + " authorizer; if it must stay public, authenticate callers in the function itself."));
    }
}
