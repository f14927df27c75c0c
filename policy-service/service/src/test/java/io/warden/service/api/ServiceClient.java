package io.warden.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client of the service for tests: every request over real HTTP on loopback. */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ServiceClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpResponse<String> get(String path, String token) {
        return send(authorized(request(path).GET(), token));
    }

    public HttpResponse<String> postJson(String path, String token, String body) {
        return send(authorized(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                token));
    }

    /**
     * Sends only the head of a POST declaring a JSON body of {@code length} bytes, and reads the answer (status line,
     * headers and body, as text). For a body the service refuses by its declared size: a client sending the whole of it
     * races the service's answer and close, and may see the close (a broken pipe or a reset) before the answer.
     */
    public String postDeclaringLength(String path, String token, long length) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Authorization: Bearer " + token + "\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int headEnd = -1;
            long bodyLength = 0;
            while (headEnd < 0 || answer.size() < headEnd + bodyLength) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                answer.write(b);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headEnd = text.length();
                    Matcher declared = CONTENT_LENGTH.matcher(text);
                    bodyLength = declared.find() ? Long.parseLong(declared.group(1)) : 0;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    public HttpResponse<String> putJson(String path, String token, String body) {
        return send(authorized(
                request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)),
                token));
    }

    public static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Mints a reporter token for the function (or {@code *}) with the admin token. */
    public String reporterToken(String adminToken, String function) {
        HttpResponse<String> response =
                postJson("/v1/tokens", adminToken, "{\"role\":\"reporter\",\"function\":\"" + function + "\"}");
        if (response.statusCode() != 201) {
            throw new AssertionError("cannot mint a token: " + response.statusCode() + " " + response.body());
        }
        return json(response.body()).get("token").asText();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
