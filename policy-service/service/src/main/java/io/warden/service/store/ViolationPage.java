package io.warden.service.store;

import java.util.List;

/**
 * One page of violations.
 *
 * @param events each event as its one-line JSON ({@link io.warden.policy.ViolationJson})
 * @param next where the next page starts, or null when this is the last page
 */
public record ViolationPage(List<String> events, ViolationCursor next) {
    public ViolationPage {
        events = List.copyOf(events);
    }
}
