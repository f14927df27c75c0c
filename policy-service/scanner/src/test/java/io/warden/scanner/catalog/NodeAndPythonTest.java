package io.warden.scanner.catalog;

import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npm and Python packages in function and layer zips, matched against Warden's own OSV fixtures. */
@Tag("fast")
class NodeAndPythonTest {
    @TempDir
    Path dbDir;

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nodeAndPythonLayers() throws IOException, URISyntaxException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "nodejs/node_modules/@example/left-pad/package.json",
                text("{\"name\":\"@example/left-pad\",\"version\":\"1.2.9\"}"));
        entries.put(
                "nodejs/node_modules/left-pad/test/fixtures/package.json",
                text("{\"name\":\"fixture\",\"version\":\"6.6.6\"}"));
        entries.put(
                "nodejs/package-lock.json",
                text("{\"lockfileVersion\":3,\"packages\":{"
                        + "\"\":{\"name\":\"fn\",\"version\":\"1.0.0\"},"
                        + "\"node_modules/@example/left-pad\":{\"version\":\"1.2.9\"},"
                        + "\"node_modules/a/node_modules/b\":{\"version\":\"2.0.0\"},"
                        + "\"node_modules/local\":{\"link\":true,\"resolved\":\"../local\"}}}"));
        entries.put(
                "python/lib/python3.12/site-packages/requests_toolbelt-1.0.dist-info/METADATA",
                text(
                        "Metadata-Version: 2.1\nName: Requests_Toolbelt\nVersion: 1.0\n\nVersion: 9.9 in the description\n"));
        entries.put("python/old.egg-info/PKG-INFO", text("Metadata-Version: 1.0\nName: oldpkg\nVersion: 0.1\n"));
        try (VulnerabilityStore store = VulnerabilityStore.openForImport(dbDir)) {
            store.importOsv(
                    Path.of(getClass().getResource("/osv/WARDEN-TEST-0001.json").toURI())
                            .getParent());
            ScanResult result = new PackageScanner(store).scan(new ByteArrayInputStream(zip(entries)), "layer.zip");

            assertThat(result.components())
                    .extracting(c -> c.purl())
                    .containsExactlyInAnyOrder(
                            "pkg:npm/%40example/left-pad@1.2.9",
                            "pkg:npm/b@2.0.0", "pkg:pypi/requests-toolbelt@1.0", "pkg:pypi/oldpkg@0.1");
            // the lock file and the installed package.json are two pieces of evidence for one component
            assertThat(result.components())
                    .filteredOn(c -> c.name().equals("@example/left-pad"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.evidence())
                            .extracting(Evidence::source)
                            .containsExactlyInAnyOrder("package.json", "package-lock.json"));
            assertThat(result.vulnerabilities())
                    .extracting(v -> v.component().name() + " " + v.advisory().id())
                    .containsExactlyInAnyOrder(
                            "@example/left-pad WARDEN-TEST-0004", "requests-toolbelt WARDEN-TEST-0005");
        }
    }
}
