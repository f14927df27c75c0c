package io.warden.invoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (version 2018-06-01) on a loopback port: the runtime client long-polls
 * {@code invocation/next} for events and posts each answer to {@code invocation/{id}/response} or
 * {@code invocation/{id}/error}, or a start-up failure to {@code init/error}.
 */
final class RuntimeApiServer implements AutoCloseable {

    /** Lambda's limit for a synchronous response or an error document. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Pattern ANSWER =
            Pattern.compile(Pattern.quote(PREFIX) + "invocation/([^/]+)/(response|error)");
    private static final String JSON = "application/json";
    private static final byte[] ACCEPTED = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

    /** What the runner needs to hear about, called on the server's threads. */
    interface Listener {
        /** The runtime asked for its first event: initialisation is over. */
        void initDone(long nanoTime);

        /** The runtime took this event. */
        void dispatched(Invocation invocation);

        /** The runtime reported that the function could not start. */
        void initError(String errorType, byte[] errorDocument);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Listener listener;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> invocations = new ConcurrentHashMap<>();
    private volatile boolean polled;

    private RuntimeApiServer(HttpServer server, ExecutorService executor, Listener listener) {
        this.server = server;
        this.executor = executor;
        this.listener = listener;
    }

    static RuntimeApiServer start(Listener listener) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread per waiting poll: concurrent runtime loops each hold a request open on invocation/next.
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "warden-runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        RuntimeApiServer api = new RuntimeApiServer(server, executor, listener);
        server.createContext(PREFIX, api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    String address() {
        InetSocketAddress bound = server.getAddress();
        return bound.getAddress().getHostAddress() + ":" + bound.getPort();
    }

    void submit(Invocation invocation) {
        invocations.put(invocation.requestId, invocation);
        queue.add(invocation);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(PREFIX + "invocation/next")) {
                if (requireMethod(exchange, "GET")) {
                    next(exchange);
                }
                return;
            }
            if (path.equals(PREFIX + "restore/next")) {
                // SnapStart: the runtime ran its checkpoint hooks and waits to be restored; here it is restored at
                // once.
                if (requireMethod(exchange, "GET")) {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, -1);
                }
                return;
            }
            if (path.equals(PREFIX + "init/error")) {
                if (requireMethod(exchange, "POST")) {
                    initError(exchange);
                }
                return;
            }
            Matcher answer = ANSWER.matcher(path);
            if (answer.matches()) {
                if (requireMethod(exchange, "POST")) {
                    answer(exchange, answer.group(1), answer.group(2).equals("error"));
                }
                return;
            }
            sendError(exchange, 404, "NotFound", "No Runtime API route " + method + " " + path);
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        if (!polled) {
            polled = true;
            listener.initDone(System.nanoTime());
        }
        Invocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        }
        invocation.deadlineEpochMillis = System.currentTimeMillis() + invocation.timeout.toMillis();
        invocation.dispatchedNanos = System.nanoTime();
        var headers = exchange.getResponseHeaders();
        // The runtime client's native HTTP code crashes on an invocation/next answer without a Content-Type.
        headers.set("Content-Type", JSON);
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMillis));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn);
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId);
        listener.dispatched(invocation);
        send(exchange, 200, invocation.event);
    }

    private void answer(HttpExchange exchange, String requestId, boolean failed) throws IOException {
        Invocation invocation = invocations.get(requestId);
        if (invocation == null || !invocation.dispatched()) {
            sendError(exchange, 400, "InvalidRequestID", "Unknown request id " + requestId);
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            invocation.finish(
                    InvocationResult.Status.ERROR,
                    errorDocument(
                            "Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES
                                    + " bytes)."),
                    "Function.ResponseSizeTooLarge");
            sendError(exchange, 413, "RequestEntityTooLarge", "Payload larger than " + MAX_PAYLOAD_BYTES + " bytes");
            return;
        }
        boolean first = failed
                ? invocation.finish(
                        InvocationResult.Status.ERROR,
                        body,
                        exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER))
                : invocation.finish(InvocationResult.Status.SUCCESS, body, null);
        if (first) {
            invocations.remove(requestId);
            send(exchange, 202, ACCEPTED);
        } else {
            sendError(exchange, 400, "InvalidStateTransition", "Invocation " + requestId + " was already answered");
        }
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange);
        String errorType = exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER);
        listener.initError(errorType, body == null ? errorDocument(errorType, "(error document too large)") : body);
        send(exchange, 202, ACCEPTED);
    }

    /** The error document Lambda returns to the caller: {@code {"errorMessage": ..., "errorType": ...}}. */
    static byte[] errorDocument(String errorType, String errorMessage) {
        Map<String, String> document = new LinkedHashMap<>();
        document.put("errorMessage", errorMessage);
        document.put("errorType", errorType);
        return Json.bytes(document);
    }

    /** The request body, or null when it is larger than Lambda accepts. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            return body.length > MAX_PAYLOAD_BYTES ? null : body;
        }
    }

    private static boolean requireMethod(HttpExchange exchange, String method) throws IOException {
        if (exchange.getRequestMethod().equals(method)) {
            return true;
        }
        sendError(
                exchange,
                405,
                "MethodNotAllowed",
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " expects " + method);
        return false;
    }

    private static void sendError(HttpExchange exchange, int status, String errorType, String message)
            throws IOException {
        send(exchange, status, errorDocument(errorType, message));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON);
        // A length of 0 would mean "chunked" to HttpServer; -1 means no body.
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
