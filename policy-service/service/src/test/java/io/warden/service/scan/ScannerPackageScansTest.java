package io.warden.service.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What {@code warden serve} keeps for {@code POST /v1/scans}: the package scanner's own report of the upload. */
@Tag("fast")
class ScannerPackageScansTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUploadedFunctionPackageIsScannedByThePackageScanner() throws Exception {
        Path exampleZip = Path.of(System.getProperty("warden.example.zip"));
        PackageScan scan;
        try (InputStream zip = Files.newInputStream(exampleZip)) {
            scan = new ScannerPackageScans(null).scan(zip, "egress-demo");
        }

        JsonNode result = JSON.readTree(scan.resultJson());
        assertThat(result.path("components").toString()).contains("aws-lambda-java-core");
        JsonNode summary = JSON.readTree(scan.summaryJson());
        assertThat(summary.path("components").asInt())
                .isEqualTo(result.path("components").size())
                .isPositive();
    }

    /** {@code POST /v1/scans} answers this exception with 422, so nothing is kept as the function's latest scan. */
    @Test
    void anUploadThatIsNotAnArchiveIsRefused() {
        ScannerPackageScans scans = new ScannerPackageScans(null);
        for (String upload : new String[] {"hello", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", ""}) {
            assertThatThrownBy(() ->
                            scans.scan(new ByteArrayInputStream(upload.getBytes(StandardCharsets.UTF_8)), "orders"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("orders is not a package: a package is a zip archive");
        }
    }
}
