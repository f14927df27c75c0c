package io.warden.policy.internal;

import io.warden.policy.Decision;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Decisions by key, holding at most {@link #MAX_ENTRIES}; beyond that, decisions are simply not cached. */
public final class DecisionCache<K> {
    /** Most decisions one cache holds, so that looping over random targets cannot grow memory. */
    public static final int MAX_ENTRIES = 4096;

    private final ConcurrentHashMap<K, Decision> decisions = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /** The cached decision, or null. */
    public Decision get(K key) {
        return decisions.get(key);
    }

    /** Caches the decision while there is room. */
    public void put(K key, Decision decision) {
        if (size.incrementAndGet() > MAX_ENTRIES || decisions.putIfAbsent(key, decision) != null) {
            size.decrementAndGet();
        }
    }

    public int size() {
        return decisions.size();
    }
}
