package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import java.util.List;

/** One check of how a function is deployed. Rules are registered in {@link PostureRules#ALL}. */
public interface PostureRule {
    List<Finding> evaluate(FunctionContext function);
}
