package io.warden.aws.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens the presigned URLs Lambda hands out for code ({@code GetFunction}'s {@code Code.Location},
 * {@code GetLayerVersionByArn}'s {@code Content.Location}) as streams: packages go straight into the scanner, never
 * onto disk.
 */
public final class CodeDownloads {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A presigned URL lives ten minutes; a download that has not started answering by then never will. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final AtomicLong downloads = new AtomicLong();

    /** The package's bytes as a stream; the caller closes it. */
    public InputStream open(String location) throws IOException {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("code location is not a URL: '" + location + "'", e);
        }
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + withoutQuery(uri), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("downloading " + withoutQuery(uri) + " answered HTTP " + response.statusCode());
        }
        downloads.incrementAndGet();
        return response.body();
    }

    /** How many packages were opened. */
    public long count() {
        return downloads.get();
    }

    /** The signature in a presigned URL's query is a credential: never in a message. */
    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }
}
