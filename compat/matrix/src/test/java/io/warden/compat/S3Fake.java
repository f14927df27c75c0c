package io.warden.compat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The part of the S3 REST protocol a function writing and reading whole objects uses, on a loopback port: path-style
 * PutObject (plain or {@code aws-chunked} bodies, as the SDK signs them), GetObject (with a byte range, as the CRT S3
 * client asks for parts), HeadObject. Signatures are not checked.
 */
final class S3Fake implements AutoCloseable {

    private static final int MAX_OBJECT_BYTES = 1 << 20;

    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    private S3Fake(HttpServer server) {
        this.server = server;
    }

    static S3Fake start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        S3Fake fake = new S3Fake(server);
        server.createContext("/", fake::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return fake;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = exchange.getRequestURI().getPath();
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    byte[] body = readBody(exchange);
                    objects.put(key, body);
                    exchange.getResponseHeaders().set("ETag", "\"" + md5(body) + "\"");
                    exchange.sendResponseHeaders(200, -1);
                }
                case "GET", "HEAD" -> {
                    byte[] object = objects.get(key);
                    if (object == null) {
                        byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                                        + "<Message>The specified key does not exist.</Message></Error>")
                                .getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "application/xml");
                        exchange.sendResponseHeaders(404, error.length);
                        exchange.getResponseBody().write(error);
                        return;
                    }
                    sendObject(exchange, object);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private static void sendObject(HttpExchange exchange, byte[] object) throws IOException {
        int from = 0;
        int to = object.length - 1;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && object.length > 0) {
            String[] bounds = range.substring("bytes=".length()).split("-", 2);
            from = Integer.parseInt(bounds[0]);
            to = bounds[1].isEmpty() ? to : Math.min(to, Integer.parseInt(bounds[1]));
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + object.length);
            status = 206;
        }
        int length = Math.max(0, to - from + 1);
        exchange.getResponseHeaders().set("ETag", "\"" + md5(object) + "\"");
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(object.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        exchange.getResponseBody().write(object, from, length);
    }

    /** The object's bytes: the body itself, or the data of its {@code aws-chunked} chunks. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_OBJECT_BYTES + 1);
        if (body.length > MAX_OBJECT_BYTES) {
            throw new IOException("object larger than " + MAX_OBJECT_BYTES + " bytes");
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        String sha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
        boolean chunked =
                (encoding != null && encoding.contains("aws-chunked")) || (sha != null && sha.startsWith("STREAMING-"));
        return chunked ? dechunk(body) : body;
    }

    /** {@code <hex size>[;chunk-signature=...]\r\n<data>\r\n}, ending with a chunk of size 0 (and trailers). */
    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int position = 0;
        while (position < body.length) {
            int lineEnd = indexOf(body, position);
            String header = new String(body, position, lineEnd - position, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                break;
            }
            data.write(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return data.toByteArray();
    }

    private static int indexOf(byte[] body, int from) throws IOException {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        throw new IOException("aws-chunked body without a line end");
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
