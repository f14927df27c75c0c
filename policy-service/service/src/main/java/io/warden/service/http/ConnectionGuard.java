package io.warden.service.http;

import io.warden.service.api.Metrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds what one client can hold of the server: connections per client address, and how long a connection may take
 * to deliver a request's head and body. Jetty's idle timeout alone does not: a client that sends one byte every few
 * seconds never goes idle. Every open connection has a deadline, checked a few times a second:
 * <ul>
 *   <li>from when it opens, or its previous answer was sent: the head of its next request must have arrived within
 *       the head timeout (after the idle timeout too, on a kept-alive connection);</li>
 *   <li>from when a head arrives: the body must have arrived within the body timeout, lengthened for a large body by
 *       the time it takes at the slowest upload rate allowed for;</li>
 *   <li>while the API works on the request, none.</li>
 * </ul>
 * A connection past its deadline is closed without an answer.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    static final long SWEEP_MILLIS = 250;

    /**
     * An open connection of a client (null when not an IP address): when it must have made progress (0: no deadline
     * while the API works), and what it waits for (the metric's reason when it has not).
     */
    private record Tracked(InetAddress client, long deadlineNanos, String reason) {
        Tracked next(long deadline, String waitingFor) {
            return new Tracked(client, deadline, waitingFor);
        }
    }

    private final ServerLimits limits;
    private final Scheduler scheduler;
    private final Metrics metrics;
    /** The connections counted against their client; whoever removes one (closing it, or its close) uncounts it. */
    private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();

    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    ConnectionGuard(ServerLimits limits, Scheduler scheduler, Metrics metrics) {
        this.limits = limits;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() {
        scheduleSweep();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        int fromClient = client == null
                ? 0
                : perClient
                        .computeIfAbsent(client, address -> new AtomicInteger())
                        .incrementAndGet();
        Tracked tracked =
                new Tracked(client, System.nanoTime() + limits.headTimeout().toNanos(), "head_timeout");
        open.put(connection, tracked);
        if (fromClient > limits.maxConnectionsPerClient()) {
            close(connection, tracked, "client_connections");
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Tracked tracked = open.get(connection);
        if (tracked != null && open.remove(connection, tracked)) {
            uncount(tracked.client());
        }
    }

    /** A request's head arrived: its body must follow within the body deadline for that many bytes. */
    void headArrived(Connection connection, long maxBodyBytes) {
        update(connection, System.nanoTime() + limits.bodyDeadline(maxBodyBytes).toNanos(), "body_timeout");
    }

    /** The body is read; the API works on it. */
    void bodyRead(Connection connection) {
        update(connection, 0, null);
    }

    /** The answer went out: the next request's head must come within the idle and head timeouts. */
    void answered(Connection connection) {
        update(
                connection,
                System.nanoTime()
                        + limits.idleTimeout().toNanos()
                        + limits.headTimeout().toNanos(),
                "head_timeout");
    }

    private void update(Connection connection, long deadlineNanos, String reason) {
        open.computeIfPresent(connection, (c, tracked) -> tracked.next(deadlineNanos, reason));
    }

    private void scheduleSweep() {
        sweep = scheduler.schedule(
                () -> {
                    long now = System.nanoTime();
                    open.forEach((connection, tracked) -> {
                        if (tracked.reason() != null && now - tracked.deadlineNanos() > 0) {
                            close(connection, tracked, tracked.reason());
                        }
                    });
                    if (isRunning()) {
                        scheduleSweep();
                    }
                },
                SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Closes the connection for the reason unless it made progress since {@code tracked} was read, and uncounts it at
     * once (Jetty reports the close later: on a busy server, after the client has already reconnected).
     */
    private void close(Connection connection, Tracked tracked, String reason) {
        if (open.remove(connection, tracked)) {
            uncount(tracked.client());
            metrics.refused(reason);
            connection.getEndPoint().close();
        }
    }

    private void uncount(InetAddress client) {
        if (client != null) {
            perClient.computeIfPresent(client, (address, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress address ? address.getAddress() : null;
    }
}
