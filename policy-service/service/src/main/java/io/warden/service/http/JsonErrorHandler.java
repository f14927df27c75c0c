package io.warden.service.http;

import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before the API sees a request (a malformed request line or chunk size, a head too
 * large, a URI Jetty refuses), as the API's documented JSON error instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Map<Integer, String> KINDS = Map.of(
            400, "bad_request",
            408, "request_timeout",
            413, "payload_too_large",
            414, "uri_too_long",
            431, "header_fields_too_large",
            500, "internal_error",
            501, "not_implemented",
            503, "busy",
            505, "http_version_not_supported");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ERROR_STATUS);
        int code = status instanceof Integer value ? value : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        String text = message instanceof String value && !value.isBlank() ? value : HttpStatus.getMessage(code);
        ApiResponse answer = WardenApi.error(code, KINDS.getOrDefault(code, "http_" + code), text);
        response.setStatus(code);
        response.getHeaders().put("Content-Type", ApiResponse.JSON);
        response.getHeaders().put("Content-Length", Long.toString(answer.body().length));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
    }
}
