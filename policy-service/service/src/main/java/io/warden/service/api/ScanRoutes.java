package io.warden.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.scan.PackageScan;
import io.warden.service.scan.PackageScans;
import io.warden.service.store.ScanRecord;
import io.warden.service.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v1/scans?function=NAME} (a deployment zip as the body) runs the package scanner and keeps its result;
 * {@code GET /v1/scans/{id}} returns it.
 */
final class ScanRoutes {

    /** Lambda's limit for a zip uploaded directly. */
    static final long MAX_PACKAGE_BYTES = 50L * 1024 * 1024;

    static final String ZIP = "application/zip";

    private final Store store;
    private final PackageScans scanner;
    private final Clock clock;

    /** @param scanner null when this build has no package scanner: uploads are then answered 501 */
    ScanRoutes(Store store, PackageScans scanner, Clock clock) {
        this.store = store;
        this.scanner = scanner;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/v1/scans", Route.Access.ADMIN, MAX_PACKAGE_BYTES, this::post),
                Route.of("GET", "/v1/scans/{id}", Route.Access.READ, this::get));
    }

    private ApiResponse post(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters query = QueryParameters.parse(request.rawQuery(), Set.of("function"));
        String function = FunctionNames.require(query.get("function"), "query parameter \"function\"");
        RequestBodies.requireContentType(request, ZIP, "application/octet-stream");
        if (scanner == null) {
            throw new ApiException(501, "not_implemented", "this service was started without a package scanner");
        }
        Path upload = null;
        try {
            upload = Files.createTempFile("warden-scan-", ".zip");
            copyWithin(request, upload);
            PackageScan result;
            try (InputStream zip = Files.newInputStream(upload)) {
                result = scanner.scan(zip, function);
            } catch (IllegalArgumentException e) {
                throw new ApiException(
                        422,
                        "unprocessable",
                        "the package of \"" + function + "\" cannot be scanned: " + e.getMessage());
            }
            ScanRecord scan = new ScanRecord(
                    UUID.randomUUID().toString(),
                    function,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    result.summaryJson(),
                    result.resultJson());
            store.putScan(scan);
            return ApiResponse.json(201, toJson(scan)).withHeader("Location", "/v1/scans/" + scan.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (upload != null) {
                try {
                    Files.deleteIfExists(upload);
                } catch (IOException ignored) {
                    // A temporary file; the system cleans it up.
                }
            }
        }
    }

    private static void copyWithin(ApiRequest request, Path upload) throws IOException {
        if (request.contentLength() > MAX_PACKAGE_BYTES) {
            throw RequestBodies.tooLarge(request.contentLength() + " bytes", MAX_PACKAGE_BYTES);
        }
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = request.body();
                OutputStream out = Files.newOutputStream(upload)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_PACKAGE_BYTES) {
                    throw RequestBodies.tooLarge("more than " + MAX_PACKAGE_BYTES + " bytes", MAX_PACKAGE_BYTES);
                }
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw ApiException.badRequest("the body is empty; expected the function's deployment zip");
        }
    }

    private ApiResponse get(ApiRequest request, Caller caller, List<String> pathParameters) {
        String id = pathParameters.get(0);
        ScanRecord scan = store.scan(id)
                .orElseThrow(() -> ApiException.notFound("no scan has id \"" + ApiJson.abbreviate(id) + "\""));
        return ApiResponse.json(200, toJson(scan));
    }

    /** A scan as the API shows it; {@code result} only when the record holds it. */
    static ObjectNode toJson(ScanRecord scan) {
        ObjectNode json = ApiJson.MAPPER.createObjectNode();
        json.put("id", scan.id());
        json.put("function", scan.function());
        json.put("time", scan.createdAt().toString());
        json.set("summary", parse(scan.summaryJson()));
        if (scan.resultJson() != null) {
            json.set("result", parse(scan.resultJson()));
        }
        return json;
    }

    private static JsonNode parse(String json) {
        try {
            return ApiJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored scan is not JSON", e);
        }
    }
}
