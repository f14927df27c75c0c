package io.warden.service.store;

import io.warden.policy.Mode;
import io.warden.policy.Violation;
import java.time.Instant;
import java.util.List;

/**
 * One batch of violation events from one function's agent, already validated: every event names {@code function}.
 *
 * @param agentVersion the agent's version, or null
 * @param mode the agent's mode, or null
 */
public record Report(String function, String agentVersion, Mode mode, Instant receivedAt, List<Violation> events) {
    public Report {
        events = List.copyOf(events);
    }
}
