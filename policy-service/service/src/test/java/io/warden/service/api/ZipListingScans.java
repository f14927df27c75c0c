package io.warden.service.api;

import io.warden.service.scan.PackageScan;
import io.warden.service.scan.PackageScans;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A package scan that lists the zip's entries: enough to exercise the scan routes (upload, keep, read back, refuse
 * what is not a zip) until the package scanner is wired in.
 */
final class ZipListingScans implements PackageScans {

    @Override
    public PackageScan scan(InputStream zip, String name) throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.add(entry.getName());
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("not a zip, or an empty one");
        }
        return new PackageScan(
                ApiJson.MAPPER.writeValueAsString(Map.of("entries", entries.size())),
                ApiJson.MAPPER.writeValueAsString(Map.of("function", name, "entries", entries)));
    }
}
