package io.warden.service.store.observations;

import io.warden.policy.observe.ObservedItem;
import java.time.Instant;

/**
 * A distinct item a function version was observed doing, merged over every line that carried it.
 *
 * @param key the item's store key: the SHA-256 (hex) of its {@link ObservedItem#key()}
 * @param item the item with the sum of the lines' counts as its {@code count} and, as its {@code caller}, the caller of
 *     the latest line that named one (or null)
 */
public record StoredItem(String version, String key, ObservedItem item, Instant firstSeen, Instant lastSeen) {}
