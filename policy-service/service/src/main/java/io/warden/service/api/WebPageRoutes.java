package io.warden.service.api;

import io.warden.service.auth.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /} and {@code GET /web/{file}}: the web view's page, script and styles (docs/web.md), read from the jar.
 * They hold no data: the page reads everything through this API with the signed-in caller's token. Every answer
 * carries a Content-Security-Policy that allows only these files, so no injected markup can run script.
 */
final class WebPageRoutes {

    static final String RESOURCES = "/io/warden/service/web/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The files of the page; the charting library is copied in by the build from its npm package. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8");

    private final Map<String, ApiResponse> answers = new LinkedHashMap<>();

    WebPageRoutes() {
        FILES.forEach((file, type) -> answers.put(file, answer(file, type)));
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/", Route.Access.PUBLIC, (request, caller, path) -> answers.get("index.html")),
                Route.of("GET", "/web/{file}", Route.Access.PUBLIC, this::file));
    }

    private ApiResponse file(ApiRequest request, Caller caller, List<String> pathParameters) {
        ApiResponse answer = answers.get(pathParameters.get(0));
        if (answer == null) {
            throw ApiException.notFound("no file " + ApiJson.abbreviate(pathParameters.get(0)) + " in the web view");
        }
        return answer;
    }

    private static ApiResponse answer(String file, String contentType) {
        byte[] body;
        try (InputStream in = WebPageRoutes.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("the web view's " + file + " is missing from the build");
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", "no-cache");
        return new ApiResponse(200, headers, body);
    }
}
