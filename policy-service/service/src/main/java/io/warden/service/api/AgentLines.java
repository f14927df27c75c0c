package io.warden.service.api;

import io.warden.policy.Violation;
import io.warden.policy.observe.Observation;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;

/**
 * The checks of {@code POST /v1/reports} and {@code POST /v1/observations} for agent lines that arrive another way (a
 * function's log, delivered by CloudWatch Logs): the same parsers and rules, with the function the line may be of
 * given by where it came from rather than by a token.
 */
public final class AgentLines {

    private AgentLines() {}

    /**
     * A violation line of {@code function}, with its {@code id} as read from the line.
     *
     * @throws IllegalArgumentException saying what is wrong, as the API's 400 answer would
     */
    public static Violation violation(String line, String id, String function, String source) {
        try {
            return ReportRoutes.event(line, id, function, source);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * An observation line of {@code function}; {@code source} says where the line came from, for the message when it
     * names another function.
     *
     * @throws IllegalArgumentException saying what is wrong, as the API's 400 or 403 answer would
     */
    public static Observation observation(String line, String function, String source) {
        try {
            return ObservationRoutes.parse(line, new Caller(Role.REPORTER, function, source));
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
