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

    /** When a connection must have made progress, and what it is waiting for (the metric's reason when it has not). */
    private record Deadline(long nanos, String reason) {
        static final Deadline NONE = new Deadline(0, null);
    }

    private final ServerLimits limits;
    private final Scheduler scheduler;
    private final Metrics metrics;
    private final Map<Connection, Deadline> deadlines = new ConcurrentHashMap<>();
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
        int open = client == null ? 0
                : perClient.computeIfAbsent(client, address -> new AtomicInteger()).incrementAndGet();
        deadlines.put(connection, new Deadline(System.nanoTime() + limits.headTimeout().toNanos(), "head_timeout"));
        if (open > limits.maxConnectionsPerClient()) {
            metrics.refused("client_connections");
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        deadlines.remove(connection);
        InetAddress client = client(connection);
        if (client != null) {
            perClient.computeIfPresent(client, (address, open) -> open.decrementAndGet() <= 0 ? null : open);
        }
    }

    /** A request's head arrived: its body must follow within the body deadline for that many bytes. */
    void headArrived(Connection connection, long maxBodyBytes) {
        update(connection, new Deadline(System.nanoTime() + limits.bodyDeadline(maxBodyBytes).toNanos(), "body_timeout"));
    }

    /** The body is read; the API works on it. */
    void bodyRead(Connection connection) {
        update(connection, Deadline.NONE);
    }

    /** The answer went out: the next request's head must come within the idle and head timeouts. */
    void answered(Connection connection) {
        update(connection, new Deadline(System.nanoTime() + limits.idleTimeout().toNanos()
                + limits.headTimeout().toNanos(), "head_timeout"));
    }

    private void update(Connection connection, Deadline deadline) {
        deadlines.computeIfPresent(connection, (c, previous) -> deadline);
    }

    private void scheduleSweep() {
        sweep = scheduler.schedule(() -> {
            long now = System.nanoTime();
            deadlines.forEach((connection, deadline) -> {
                if (deadline != Deadline.NONE && now - deadline.nanos() > 0 && deadlines.remove(connection, deadline)) {
                    metrics.refused(deadline.reason());
                    connection.getEndPoint().close();
                }
            });
            if (isRunning()) {
                scheduleSweep();
            }
        }, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress address ? address.getAddress() : null;
    }
}
