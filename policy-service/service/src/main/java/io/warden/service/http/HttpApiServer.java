package io.warden.service.http;

import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves a {@link WardenApi} over HTTP with Jetty (its core API, no servlets): what {@code warden serve} listens with.
 * Built so that slow or hostile clients cannot starve it (docs/api.md, "Limits"):
 * <ul>
 *   <li>request heads and bodies are read without holding a thread (Jetty's non-blocking I/O; a body is read only after
 *       the route and the caller's credentials are checked, and only up to the route's limit);</li>
 *   <li>{@link ConnectionGuard} bounds connections per client address and the time a head or a body may take;
 *       {@link NetworkConnectionLimit} bounds connections in total;</li>
 *   <li>the API works on two pools of its own: reads ({@code GET}: health, policies, listings) and writes (the rest),
 *       so a stalled store write never holds a thread a read needs; when a pool's queue is full the answer is 503
 *       {@code busy} at once;</li>
 *   <li>the errors Jetty answers itself (a malformed request, a head too large) are the API's JSON errors.</li>
 * </ul>
 */
public final class HttpApiServer implements AutoCloseable {

    /** Threads of Jetty's own pool: accepting, selecting, parsing and writing; the API's work runs elsewhere. */
    static final int IO_THREADS = 16;
    /** Connections the kernel queues before the server accepts them. */
    static final int ACCEPT_BACKLOG = 1_024;
    /** Requests in progress get this long to finish when the server stops. */
    static final long STOP_GRACE_MILLIS = 1_000;
    /** Largest request head (request line and headers) read. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ThreadPoolExecutor reads;
    private final ThreadPoolExecutor writes;

    private HttpApiServer(
            Server server, ServerConnector connector, ThreadPoolExecutor reads, ThreadPoolExecutor writes) {
        this.server = server;
        this.connector = connector;
        this.reads = reads;
        this.writes = writes;
    }

    /** Starts serving on the address (port 0: any free port) with the default limits. */
    public static HttpApiServer start(WardenApi api, InetSocketAddress address) throws IOException {
        return start(api, address, ServerLimits.DEFAULT);
    }

    public static HttpApiServer start(WardenApi api, InetSocketAddress address, ServerLimits limits)
            throws IOException {
        QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 4);
        io.setName("warden-http");
        io.setDaemon(true);
        Server server = new Server(io);
        server.setStopTimeout(STOP_GRACE_MILLIS);
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        configuration.setRequestHeaderSize(MAX_HEAD_BYTES);
        configuration.setIdleTimeout(limits.idleTimeout().toMillis());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(ACCEPT_BACKLOG);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        ConnectionGuard guard = new ConnectionGuard(limits, server.getScheduler(), api.metrics());
        connector.addBean(guard);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        ThreadPoolExecutor reads = pool("warden-api-read", limits.readThreads(), limits.queuedRequests());
        ThreadPoolExecutor writes = pool("warden-api-write", limits.writeThreads(), limits.queuedRequests());
        server.setHandler(new ApiHandler(api, guard, limits, reads, writes));
        server.setErrorHandler(new JsonErrorHandler());
        try {
            server.start();
        } catch (Exception e) {
            reads.shutdownNow();
            writes.shutdownNow();
            throw new IOException("cannot serve on " + address + ": " + e.getMessage(), e);
        }
        return new HttpApiServer(server, connector, reads, writes);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queued) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued), runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8780}. */
    public String baseUrl() {
        String host = address().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping: what failed to stop goes with the process.
        }
        reads.shutdownNow();
        writes.shutdownNow();
    }

    /**
     * Every request: admission on the head (credentials, route, body size, the client's failed credentials, the memory
     * bodies hold), the body read without a thread, the API's work on its pool.
     */
    private static final class ApiHandler extends Handler.Abstract {
        private final WardenApi api;
        private final ConnectionGuard guard;
        private final AuthFailures authFailures;
        private final ThreadPoolExecutor reads;
        private final ThreadPoolExecutor writes;
        private final long maxBufferedBodyBytes;
        private final AtomicLong bufferedBodyBytes = new AtomicLong();

        ApiHandler(
                WardenApi api,
                ConnectionGuard guard,
                ServerLimits limits,
                ThreadPoolExecutor reads,
                ThreadPoolExecutor writes) {
            this.api = api;
            this.guard = guard;
            this.authFailures = new AuthFailures(limits.maxAuthFailures(), limits.authFailureWindow());
            this.reads = reads;
            this.writes = writes;
            this.maxBufferedBodyBytes = limits.maxBufferedBodyBytes();
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Connection connection = request.getConnectionMetaData().getConnection();
            InetAddress client = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                    ? a.getAddress()
                    : null;
            Callback answered = Callback.from(() -> guard.answered(connection), callback);
            Duration wait = client == null ? null : authFailures.refusedFor(client);
            if (wait != null) {
                api.metrics().refused("auth_failures");
                long seconds = Math.max(1, wait.toSeconds());
                send(
                        response,
                        answered,
                        WardenApi.error(
                                        429,
                                        "too_many_requests",
                                        client.getHostAddress()
                                                + " sent too many requests with missing or unknown credentials; retry in "
                                                + seconds + " s")
                                .withHeader("Retry-After", Long.toString(seconds)));
                return true;
            }
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
            }
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            long length = request.getLength();
            WardenApi.Admission admission = api.admit(
                    new ApiRequest(method, path, query, headers, InputStream.nullInputStream(), length, null));
            if (admission.refusal() != null) {
                reply(client, response, answered, admission.refusal());
                return true;
            }
            long maxBody = admission.maxBodyBytes();
            if (length > maxBody) {
                send(response, answered, tooLarge(length + " bytes", maxBody));
                return true;
            }
            long held = length >= 0 ? length : maxBody;
            if (bufferedBodyBytes.addAndGet(held) > maxBufferedBodyBytes && held > 0) {
                bufferedBodyBytes.addAndGet(-held);
                api.metrics().refused("body_memory");
                send(response, answered, busy("the service holds as many request bodies as it takes"));
                return true;
            }
            AtomicBoolean holding = new AtomicBoolean(true);
            Runnable release = () -> {
                if (holding.getAndSet(false)) {
                    bufferedBodyBytes.addAndGet(-held);
                }
            };
            Callback released = Callback.from(answered, release);
            ThreadPoolExecutor pool = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method) ? reads : writes;
            guard.headArrived(connection, maxBody);
            Content.Source.asByteArrayAsync(
                    request, (int) Math.min(Integer.MAX_VALUE - 8, maxBody), new Promise.Invocable<byte[]>() {
                        @Override
                        public void succeeded(byte[] body) {
                            guard.bodyRead(connection);
                            ApiRequest full = new ApiRequest(
                                    method, path, query, headers, new ByteArrayInputStream(body), body.length, null);
                            try {
                                pool.execute(() -> reply(client, response, released, api.handle(full)));
                            } catch (RejectedExecutionException e) {
                                api.metrics().refused("queue_full");
                                send(response, released, busy("the service has more requests waiting than it takes"));
                            }
                        }

                        @Override
                        public void failed(Throwable failure) {
                            guard.bodyRead(connection);
                            release.run();
                            send(
                                    response,
                                    released,
                                    failure instanceof IllegalStateException
                                            ? tooLarge("more than " + maxBody + " bytes", maxBody)
                                            : WardenApi.error(
                                                    400,
                                                    "bad_request",
                                                    "cannot read the request body: " + failure.getMessage()));
                        }
                    });
            return true;
        }

        /** Sends the API's answer, counting a refusal of the client's credentials (or login code) against it. */
        private void reply(InetAddress client, Response response, Callback callback, ApiResponse answer) {
            if (answer.status() == 401 && client != null) {
                authFailures.failed(client);
            }
            send(response, callback, answer);
        }

        private static ApiResponse tooLarge(String size, long maxBytes) {
            return WardenApi.error(
                    413,
                    "payload_too_large",
                    "the body of " + size + " is larger than the limit of " + maxBytes + " bytes");
        }

        private static ApiResponse busy(String why) {
            return WardenApi.error(503, "busy", why + "; retry later").withHeader("Retry-After", "1");
        }

        private static void send(Response response, Callback callback, ApiResponse answer) {
            response.setStatus(answer.status());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            response.getHeaders().put("Content-Length", Long.toString(answer.body().length));
            response.write(true, answer.body().length == 0 ? null : ByteBuffer.wrap(answer.body()), callback);
        }
    }
}
