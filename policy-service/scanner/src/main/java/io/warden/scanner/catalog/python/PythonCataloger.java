package io.warden.scanner.catalog.python;

import io.warden.scanner.archive.Archive;
import io.warden.scanner.catalog.Cataloger;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.ComponentSet;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.catalog.Evidence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python distributions installed in a function or layer: {@code *.dist-info/METADATA} (wheels) and
 * {@code *.egg-info/PKG-INFO} (eggs and sdists). Their {@code Name:} and {@code Version:} headers identify them.
 */
public final class PythonCataloger implements Cataloger {
    private static final Pattern METADATA = Pattern.compile("(?:.*/)?[^/]+\\.(?:dist-info/METADATA|egg-info/PKG-INFO)");

    @Override
    public ArchiveCatalog open(Archive archive) {
        return new ArchiveCatalog() {
            private final ComponentSet found = new ComponentSet();

            @Override
            public boolean wantsContent(String path) {
                return (path.endsWith("/METADATA") || path.endsWith("/PKG-INFO"))
                        && METADATA.matcher(path).matches();
            }

            @Override
            public void entry(String path, byte[] content) {
                if (content == null) {
                    return;
                }
                String name = null;
                String version = null;
                for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
                    if (line.isEmpty()) {
                        break; // the headers end at the first blank line; the description follows
                    }
                    if (line.startsWith("Name:")) {
                        name = line.substring(5).trim();
                    } else if (line.startsWith("Version:")) {
                        version = line.substring(8).trim();
                    }
                }
                if (name != null && !name.isEmpty() && version != null && !version.isEmpty()) {
                    String location = archive.locationOf(path);
                    found.add(Component.of(
                            Ecosystem.PYPI,
                            Ecosystem.PYPI.normalizeName(name),
                            version,
                            location,
                            null,
                            List.of(new Evidence(
                                    path.endsWith("METADATA") ? "METADATA" : "PKG-INFO",
                                    location,
                                    "Name: " + name + ", Version: " + version))));
                }
            }

            @Override
            public List<Component> finish() {
                return found.toList();
            }
        };
    }
}
