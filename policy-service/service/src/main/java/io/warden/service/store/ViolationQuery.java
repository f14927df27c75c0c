package io.warden.service.store;

import io.warden.policy.Action;
import io.warden.policy.Category;
import java.time.Instant;

/**
 * Filters and page of a violation listing; every filter may be null.
 *
 * @param target only events with exactly this target
 * @param since events at or after this time
 * @param until events before this time
 * @param after the cursor of the previous page: only events older than it
 */
public record ViolationQuery(
        String function,
        Category category,
        Action action,
        String target,
        Instant since,
        Instant until,
        int limit,
        ViolationCursor after) {

    /** Any target. */
    public ViolationQuery(
            String function,
            Category category,
            Action action,
            Instant since,
            Instant until,
            int limit,
            ViolationCursor after) {
        this(function, category, action, null, since, until, limit, after);
    }
}
