package io.warden.service.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests with missing or unknown credentials per client address in fixed windows; a client past the limit is
 * refused before its credentials are even looked up until its window ends. Tokens are 256-bit random values, so no one
 * guesses one; what this bounds is the store lookups and log lines a flood of guesses costs. At most
 * {@link #MAX_TRACKED} addresses are tracked; past that, addresses whose window ended are forgotten first, and a new
 * address that finds no room is not limited (it is still refused by its credentials).
 */
final class AuthFailures {

    static final int MAX_TRACKED = 10_000;

    private record Window(long startNanos, int failures) {}

    private final int maxFailures;
    private final long windowNanos;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();

    AuthFailures(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    /** The time until the client may try again, or null when it is not refused now. */
    Duration refusedFor(InetAddress client) {
        Window window = windows.get(client);
        if (window == null || window.failures() < maxFailures) {
            return null;
        }
        long left = window.startNanos() + windowNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : null;
    }

    /** A request of this client was refused for its credentials. */
    void failed(InetAddress client) {
        long now = System.nanoTime();
        if (windows.size() >= MAX_TRACKED && !windows.containsKey(client)) {
            windows.values().removeIf(window -> now - window.startNanos() >= windowNanos);
            if (windows.size() >= MAX_TRACKED) {
                return;
            }
        }
        windows.merge(
                client,
                new Window(now, 1),
                (old, first) -> now - old.startNanos() >= windowNanos
                        ? first
                        : new Window(old.startNanos(), old.failures() + 1));
    }
}
