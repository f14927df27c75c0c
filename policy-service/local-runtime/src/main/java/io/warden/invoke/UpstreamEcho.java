package io.warden.invoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A small HTTP endpoint on a loopback port that a function under test may call: it answers every request with a
 * JSON summary of what it received, and reports each request as one line, so a run shows which calls arrived.
 */
public final class UpstreamEcho implements AutoCloseable {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpServer server;

    private UpstreamEcho(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port); {@code requests} hears "METHOD /path (N bytes)". */
    public static UpstreamEcho start(int port, Consumer<String> requests) throws InvokeException {
        if (port < 0 || port > 65_535) {
            throw new InvokeException("--upstream-echo " + port + " is not a TCP port");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new InvokeException(
                    "--upstream-echo " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvokeException("--upstream-echo " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> answer(exchange, requests));
        server.start();
        return new UpstreamEcho(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Consumer<String> requests) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            int bodyBytes = in.readNBytes(MAX_BODY_BYTES).length;
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().toString();
            requests.accept(method + " " + path + " (" + bodyBytes + " bytes)");
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("upstream", "echo");
            summary.put("method", method);
            summary.put("path", path);
            summary.put("bodyBytes", bodyBytes);
            byte[] body = Json.bytes(summary);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
