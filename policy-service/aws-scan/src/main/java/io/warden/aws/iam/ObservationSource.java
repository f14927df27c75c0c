package io.warden.aws.iam;

/**
 * Where the AWS scan finds what Warden's agents observed the scanned functions do: the policy service's observation
 * store (SQLite for {@code warden aws scan --data-dir}, DynamoDB for the deployed scan functions).
 */
@FunctionalInterface
public interface ObservationSource {
    /** A scan without observations: the rules that need them report nothing. */
    ObservationSource NONE = functionName -> null;

    /**
     * The AWS SDK calls observed of a function, by the name its agent reports ({@code AWS_LAMBDA_FUNCTION_NAME}), or
     * null when none reached the service.
     */
    ObservedCalls observed(String functionName);
}
