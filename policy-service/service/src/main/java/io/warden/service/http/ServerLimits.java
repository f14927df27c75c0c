package io.warden.service.http;

import java.time.Duration;

/**
 * What bounds the local server against slow and hostile clients (docs/api.md, "Limits").
 *
 * @param maxConnections connections open at once; past it the server stops accepting until one closes
 * @param maxConnectionsPerClient connections open at once from one client address; past it a new one is closed at once
 * @param headTimeout a request's head must have arrived this long after the connection opened or the previous answer
 *     was sent (plus {@code idleTimeout} on a kept-alive connection)
 * @param bodyTimeout a request's body must have arrived within this, plus the time it takes at {@code minBodyRate}
 * @param minBodyBytesPerSecond the slowest body upload allowed for, in bytes per second
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param readThreads threads that answer reads ({@code GET}: health, policies, listings)
 * @param writeThreads threads that answer everything else (reports, policy updates, tokens, scans)
 * @param queuedRequests requests that may wait for a thread of each kind; past it the answer is 503 {@code busy}
 * @param maxBufferedBodyBytes request body bytes held in memory at once, counted by each request's declared length (or
 *     its route's limit when it declares none) from its head until its answer; past it the answer is 503 {@code busy}
 * @param maxAuthFailures requests with missing or unknown credentials one client address may send per
 *     {@code authFailureWindow}; past it the client's requests are answered 429 until the window ends
 * @param authFailureWindow see {@code maxAuthFailures}
 */
public record ServerLimits(
        int maxConnections,
        int maxConnectionsPerClient,
        Duration headTimeout,
        Duration bodyTimeout,
        long minBodyBytesPerSecond,
        Duration idleTimeout,
        int readThreads,
        int writeThreads,
        int queuedRequests,
        long maxBufferedBodyBytes,
        int maxAuthFailures,
        Duration authFailureWindow) {

    public static final ServerLimits DEFAULT = new ServerLimits(
            4_096,
            256,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            64 * 1024,
            Duration.ofSeconds(30),
            16,
            32,
            1_024,
            256L * 1024 * 1024,
            30,
            Duration.ofMinutes(1));

    public ServerLimits {
        if (maxConnections < 1
                || maxConnectionsPerClient < 1
                || readThreads < 1
                || writeThreads < 1
                || queuedRequests < 1
                || minBodyBytesPerSecond < 1
                || maxBufferedBodyBytes < 1
                || maxAuthFailures < 1) {
            throw new IllegalArgumentException("server limits must be positive: " + this);
        }
    }

    public ServerLimits withConnections(int total, int perClient) {
        return new ServerLimits(
                total,
                perClient,
                headTimeout,
                bodyTimeout,
                minBodyBytesPerSecond,
                idleTimeout,
                readThreads,
                writeThreads,
                queuedRequests,
                maxBufferedBodyBytes,
                maxAuthFailures,
                authFailureWindow);
    }

    public ServerLimits withBufferedBodyBytes(long bytes) {
        return new ServerLimits(
                maxConnections,
                maxConnectionsPerClient,
                headTimeout,
                bodyTimeout,
                minBodyBytesPerSecond,
                idleTimeout,
                readThreads,
                writeThreads,
                queuedRequests,
                bytes,
                maxAuthFailures,
                authFailureWindow);
    }

    public ServerLimits withAuthFailures(int failures, Duration window) {
        return new ServerLimits(
                maxConnections,
                maxConnectionsPerClient,
                headTimeout,
                bodyTimeout,
                minBodyBytesPerSecond,
                idleTimeout,
                readThreads,
                writeThreads,
                queuedRequests,
                maxBufferedBodyBytes,
                failures,
                window);
    }

    /** How long a body of at most this many bytes may take to arrive. */
    Duration bodyDeadline(long maxBodyBytes) {
        return bodyTimeout.plusMillis(maxBodyBytes * 1000 / minBodyBytesPerSecond);
    }
}
