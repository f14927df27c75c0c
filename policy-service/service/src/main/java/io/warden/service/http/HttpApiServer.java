package io.warden.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Serves a {@link WardenApi} over HTTP with the JDK's HTTP server: what {@code warden serve} listens with. */
public final class HttpApiServer implements AutoCloseable {

    static final int THREADS = 32;
    /** Requests waiting for a thread; beyond this the JDK server drops the connection. */
    static final int QUEUED_REQUESTS = 4_096;
    /** Requests in progress get this long to finish when the server stops; idle connections are not waited for. */
    static final int STOP_GRACE_SECONDS = 0;
    /** Most bytes of an unread request body read and dropped so that the answer reaches the client. */
    static final long MAX_DISCARDED_BYTES = 8L * 1024 * 1024;
    /**
     * Connections the kernel queues before the server accepts them. The JDK's default (50) overflows when many agents
     * connect at once, and a dropped connection attempt is retried by the client's kernel only after a second.
     */
    static final int ACCEPT_BACKLOG = 1_024;

    static {
        // The JDK's server writes an answer's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (about 40 ms on Linux) on every kept-alive connection. Read once, when the
        // JDK's server is first used in the process.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private HttpApiServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on the address (port 0: any free port). */
    public static HttpApiServer start(WardenApi api, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, ACCEPT_BACKLOG);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), runnable -> {
                    Thread thread = new Thread(runnable, "warden-http");
                    thread.setDaemon(true);
                    return thread;
                });
        server.createContext("/", exchange -> handle(api, exchange));
        server.setExecutor(executor);
        server.start();
        return new HttpApiServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8780}. */
    public String baseUrl() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void handle(WardenApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
                }
            });
            ApiRequest request = new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, exchange.getRequestBody(), contentLength(headers),
                    null);
            ApiResponse response = api.handle(request);
            discardUnread(exchange.getRequestBody());
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            // -1: no body; 0 would mean chunked to HttpServer.
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /**
     * Reads what the API left of the body (e.g. after refusing it as too large), so the client can read the answer
     * instead of having its connection reset while it still sends; beyond {@link #MAX_DISCARDED_BYTES} the connection
     * is closed.
     */
    private static void discardUnread(InputStream body) {
        try (body) {
            byte[] buffer = new byte[64 * 1024];
            long discarded = 0;
            for (int n; discarded < MAX_DISCARDED_BYTES && (n = body.read(buffer)) > 0; ) {
                discarded += n;
            }
        } catch (IOException ignored) {
            // The client went away; nothing to answer.
        }
    }

    private static long contentLength(Map<String, String> headers) {
        String value = headers.get("content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        server.stop(STOP_GRACE_SECONDS);
        executor.shutdownNow();
    }
}
