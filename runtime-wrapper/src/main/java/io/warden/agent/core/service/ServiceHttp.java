package io.warden.agent.core.service;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange with the policy service, written by hand so that nothing the function can replace takes part:
 * {@code HttpURLConnection} would call the function's {@code ProxySelector}, {@code CookieHandler},
 * {@code ResponseCache} and {@code URLStreamHandlerFactory}, and {@code java.net.Socket} its {@code SocketImplFactory}.
 * The connection is a JDK {@code SocketChannel} to the address resolved once at start-up, with no proxy and no DNS lookup; the request closes the
 * connection after its answer. Over https, the TLS implementation is the JDK's own SunJSSE, found by its class rather
 * than by name; the primitives of its handshake still come from the JVM's provider list (docs/threat-model.md).
 */
public final class ServiceHttp {

    /** Opens the TCP connection: plainly at start-up, through the enforcer's exemption once the gate is connected. */
    public interface Connector {
        void connect(SocketChannel channel, InetSocketAddress endpoint, int timeoutMillis) throws IOException;
    }

    /** Before the gate is connected (the policy fetch at start-up) nothing is checked, so a plain connect. */
    static final Connector UNCHECKED = new Connector() {
        @Override
        public void connect(SocketChannel channel, InetSocketAddress endpoint, int timeoutMillis) throws IOException {
            channel.socket().connect(endpoint, timeoutMillis);
        }
    };

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** The service's answer; header names in lower case. */
    static final class Response {
        final int status;
        final Map<String, String> headers;
        final byte[] body;

        Response(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

    private final ServiceConfig service;
    private final Connector connector;

    ServiceHttp(ServiceConfig service, Connector connector) {
        this.service = service;
        this.connector = connector;
    }

    /**
     * @param path relative to the service's base URL
     * @param body null for none
     * @param maxBody an answer longer than this fails
     */
    Response exchange(String method, String path, String contentType, byte[] body, int timeoutMillis, int maxBody)
            throws IOException {
        String target = service.resolve(path).getRawPath();
        String query = service.resolve(path).getRawQuery();
        StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(query == null ? target : target + "?" + query)
                .append(" HTTP/1.1\r\nHost: ")
                .append(service.hostHeader())
                .append("\r\nConnection: close\r\nAccept: application/json\r\n");
        if (service.token != null) {
            head.append("Authorization: Bearer ").append(service.token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: ")
                    .append(contentType)
                    .append("\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        SocketChannel channel = openChannel();
        try (Socket plain = channel.socket()) {
            plain.setSoTimeout(timeoutMillis);
            connector.connect(channel, service.endpoint, timeoutMillis);
            Socket socket = service.https ? tls(plain) : plain;
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), maxBody);
        }
    }

    /** A channel of the JDK's provider taken at start-up ({@link ServiceConfig}). */
    private SocketChannel openChannel() throws IOException {
        if (service.channels == null) {
            throw new IOException(service.channelsRefused);
        }
        SocketChannel channel = service.channels.openSocketChannel();
        if (!isJdkClass(channel.getClass())) {
            channel.close();
            throw new IOException("the JVM's socket channel is not the JDK's own");
        }
        return channel;
    }

    private Socket tls(Socket plain) throws IOException {
        if (service.tls == null) {
            throw new IOException(service.tlsRefused);
        }
        SSLSocket socket = (SSLSocket) service.tls
                .getSocketFactory()
                .createSocket(plain, service.endpoint.getHostString(), service.endpoint.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!service.hostIsAddress()) {
            parameters.setServerNames(java.util.List.of(new SNIHostName(service.host)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /**
     * The JVM's {@code SelectorProvider}, if it is the JDK's own; else an IOException saying whose it is. Called at
     * start-up: that is when the JVM loads its provider (unless something loaded it before), so a class the function
     * names later in {@code java.nio.channels.spi.SelectorProvider}, or the {@code System.getProperty} of a
     * {@code Properties} it installs, never runs on Warden's thread; once loaded, the JVM's provider is fixed.
     */
    static SelectorProvider jdkChannels() throws IOException {
        SelectorProvider provider;
        try {
            provider = SelectorProvider.provider();
        } catch (java.util.ServiceConfigurationError | RuntimeException unloadable) {
            throw new IOException("the JVM's SelectorProvider could not be loaded: " + unloadable);
        }
        if (!isJdkClass(provider.getClass())) {
            throw new IOException("the JVM's SelectorProvider is not the JDK's own ("
                    + provider.getClass().getName() + "); Warden does not use it");
        }
        return provider;
    }

    /**
     * SunJSSE's TLS, found by its class, not by a name the function's provider could take; made at start-up, so its
     * trust store (the JDK's, or {@code javax.net.ssl.trustStore}) is read before the function's code can change those
     * properties, and not by Warden's sending thread, whose file reads the policy judges.
     */
    static SSLContext jdkTls() throws IOException {
        Provider jsse = null;
        for (Provider provider : Security.getProviders()) {
            if (provider.getClass().getName().equals("sun.security.ssl.SunJSSE") && isJdkClass(provider.getClass())) {
                jsse = provider;
            }
        }
        if (jsse == null) {
            throw new IOException("the JDK's TLS provider (SunJSSE) is not installed; Warden does not use another");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS", jsse);
            context.init(null, null, null);
            return context;
        } catch (java.security.GeneralSecurityException | RuntimeException failed) {
            throw new IOException("Warden's TLS could not be set up: " + failed);
        }
    }

    /** Defined by the boot or platform class loader in a JDK module: no class of the function's. */
    private static boolean isJdkClass(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed()
                && module.getLayer() == ModuleLayer.boot()
                && (type.getClassLoader() == null || type.getClassLoader() == ClassLoader.getPlatformClassLoader());
    }

    static Response read(InputStream in, int maxBody) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException malformed) {
            throw new IOException("not an HTTP status: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        int headBytes = statusLine.length();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headBytes += header.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("the answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in, maxBody);
        } else if (length != null) {
            long size;
            try {
                size = Long.parseLong(length);
            } catch (NumberFormatException malformed) {
                throw new IOException("malformed Content-Length: " + length);
            }
            if (size < 0 || size > maxBody) {
                throw new IOException("the answer's body is longer than " + maxBody + " bytes");
            }
            body = in.readNBytes((int) size);
            if (body.length < size) {
                throw new EOFException("the answer ended early");
            }
        } else {
            body = in.readNBytes(maxBody + 1);
            if (body.length > maxBody) {
                throw new IOException("the answer's body is longer than " + maxBody + " bytes");
            }
        }
        return new Response(status, headers, body);
    }

    private static byte[] chunked(InputStream in, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException malformed) {
                throw new IOException("malformed chunk size: " + sizeLine);
            }
            if (size < 0 || body.size() + size > maxBody) {
                throw new IOException("the answer's body is longer than " + maxBody + " bytes");
            }
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailers: none used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new EOFException("the answer ended early");
            }
            body.write(chunk);
            line(in);
        }
    }

    /** One line of the head, without its CRLF; bounded. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("the answer ended early");
            }
            if (next == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEAD_BYTES) {
                throw new IOException("a line of the answer is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.append((char) next);
        }
    }
}
