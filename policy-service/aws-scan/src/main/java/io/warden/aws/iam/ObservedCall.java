package io.warden.aws.iam;

import io.warden.policy.observe.ObservedItem;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One distinct AWS SDK call a function was observed making (an {@code aws} observation item, merged over the lines that
 * carried it).
 *
 * @param service the SDK's signing name ({@code dynamodb})
 * @param operation the SDK's operation name ({@code GetItem})
 * @param region the region the call was signed for, or null
 * @param resources the request's resource-naming members by SDK member name ({@code Key} as a prefix)
 * @param error the AWS error code of a failed call, or null
 * @param lastCaller the last caller the agent saw, or null
 */
public record ObservedCall(
        String service,
        String operation,
        String region,
        Map<String, String> resources,
        String error,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String lastCaller) {

    public ObservedCall {
        resources = new TreeMap<>(resources == null ? Map.of() : resources);
    }

    /** An observed {@code aws} item, seen from {@code firstSeen} to {@code lastSeen}. */
    public static ObservedCall of(ObservedItem.Aws aws, Instant firstSeen, Instant lastSeen) {
        return new ObservedCall(
                aws.service(),
                aws.operation(),
                aws.region(),
                aws.resources(),
                aws.error(),
                aws.count(),
                firstSeen,
                lastSeen,
                aws.caller());
    }

    /** Whether the call failed because the caller was not allowed to make it. */
    public boolean denied() {
        return error != null
                && (error.startsWith("AccessDenied")
                        || error.equals("AuthorizationError")
                        || error.equals("UnauthorizedOperation")
                        || error.equals("AuthorizationErrorException"));
    }

    /** {@code service:Operation}, as a person reads it. */
    public String name() {
        return service + ":" + operation;
    }

    /** The same call seen again (in a later line, or another version): counts summed, first and last seen widened. */
    public ObservedCall mergedWith(ObservedCall other) {
        boolean otherLater = other.lastSeen.isAfter(lastSeen);
        return new ObservedCall(
                service,
                operation,
                region,
                resources,
                error,
                count + other.count,
                firstSeen.isBefore(other.firstSeen) ? firstSeen : other.firstSeen,
                otherLater ? other.lastSeen : lastSeen,
                otherLater && other.lastCaller != null ? other.lastCaller : lastCaller);
    }
}
