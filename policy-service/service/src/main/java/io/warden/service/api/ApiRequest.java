package io.warden.service.api;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as the API sees it, whichever way it arrived (the local HTTP server or API Gateway).
 *
 * @param rawQuery the query string without {@code ?}, still percent-encoded, or null
 * @param headers header names in lower case, each with its first value
 * @param body the body; read at most once
 * @param contentLength the declared length, or -1 when unknown
 * @param iamPrincipalArn the caller's ARN when API Gateway authorized it with IAM, else null
 */
public record ApiRequest(
        String method,
        String path,
        String rawQuery,
        Map<String, String> headers,
        InputStream body,
        long contentLength,
        String iamPrincipalArn) {

    public ApiRequest {
        headers = Map.copyOf(headers);
    }

    /** The header's first value, or null; {@code name} in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
