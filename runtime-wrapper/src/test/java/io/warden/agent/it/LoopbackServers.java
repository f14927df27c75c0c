package io.warden.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Loopback endpoints for the forked JVMs: two HTTP servers (one the policy allows, one it denies) that answer like
 * DynamoDB's ListTables, so plain sockets, HTTP clients and the AWS SDK can all use them; and a UDP socket.
 */
final class LoopbackServers implements AutoCloseable {

    private final HttpServer allowed;
    private final HttpServer denied;
    private final DatagramSocket udp;

    LoopbackServers() throws IOException {
        allowed = start();
        denied = start();
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static HttpServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = "{\"TableNames\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    int allowedPort() {
        return allowed.getAddress().getPort();
    }

    int deniedPort() {
        return denied.getAddress().getPort();
    }

    int udpPort() {
        return udp.getLocalPort();
    }

    @Override
    public void close() {
        allowed.stop(0);
        denied.stop(0);
        udp.close();
    }
}
