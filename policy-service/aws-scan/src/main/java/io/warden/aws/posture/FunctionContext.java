package io.warden.aws.posture;

import io.warden.aws.discovery.DeployedFunction;
import io.warden.aws.iam.ObservedCalls;
import io.warden.aws.iam.PolicyDocument;
import io.warden.aws.iam.RolePermissions;
import java.time.LocalDate;

/**
 * Everything the posture rules look at for one function.
 *
 * @param functionUrlAuthType the function URL's {@code AuthType}, or null when it has no URL
 * @param resourcePolicy its resource-based policy, or null when it has none
 * @param role its execution role's permissions, or null when the role does not exist
 * @param wardenLayer the attached Warden layer version's ARN, or null when none is attached
 * @param latestWardenLayerVersion the newest published version of that layer, or 0 when unknown
 * @param today the date the runtime deprecation table is read against
 * @param observed the AWS SDK calls Warden's agent observed the function make, or null when no observation reached
 *     the scan
 */
public record FunctionContext(
        DeployedFunction function,
        String functionUrlAuthType,
        PolicyDocument resourcePolicy,
        RolePermissions role,
        String wardenLayer,
        long latestWardenLayerVersion,
        LocalDate today,
        ObservedCalls observed) {}
