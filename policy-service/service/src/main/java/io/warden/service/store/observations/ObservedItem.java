package io.warden.service.store.observations;

import java.time.Instant;

/**
 * A distinct item a function version was observed doing, merged over every line that carried it.
 *
 * @param fields the identifying fields as canonical JSON (see {@link ObservationLine.Item#fields})
 * @param count the sum of the lines' counts
 * @param lastCaller the caller of the latest line that named one, or null
 */
public record ObservedItem(
        String version,
        String kind,
        String key,
        String fields,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String lastCaller) {}
