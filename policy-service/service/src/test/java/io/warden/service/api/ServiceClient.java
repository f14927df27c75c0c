package io.warden.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of the service for tests: every request over real HTTP on loopback. */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();
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
