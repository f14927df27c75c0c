package io.warden.scanner.catalog.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.scanner.archive.Archive;
import io.warden.scanner.catalog.Cataloger;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.ComponentSet;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.catalog.Evidence;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * npm packages: every entry of a {@code package-lock.json} (lockfile versions 1 to 3) and every installed
 * {@code node_modules/NAME/package.json} or {@code node_modules/@SCOPE/NAME/package.json}. Other {@code package.json}
 * files (a package's own test fixtures, the function's own manifest) are not components.
 */
public final class NodeCataloger implements Cataloger {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTALLED =
            Pattern.compile("(?:.*/)?node_modules/(?:@[^/]+/)?[^/@][^/]*/package\\.json");
    private static final Pattern LOCK = Pattern.compile("(?:.*/)?package-lock\\.json");
    private static final String MODULES = "node_modules/";

    @Override
    public ArchiveCatalog open(Archive archive) {
        return new ArchiveCatalog() {
            private final ComponentSet found = new ComponentSet();

            @Override
            public boolean wantsContent(String path) {
                // endsWith first: this runs for every entry, and most are classes
                return path.endsWith("package-lock.json")
                        ? LOCK.matcher(path).matches()
                        : path.endsWith("/package.json")
                                && INSTALLED.matcher(path).matches();
            }

            @Override
            public void entry(String path, byte[] content) {
                if (content == null) {
                    return;
                }
                JsonNode json;
                try {
                    json = JSON.readTree(content);
                } catch (IOException notJson) {
                    return;
                }
                if (json == null || !json.isObject()) {
                    return;
                }
                String location = archive.locationOf(path);
                if (LOCK.matcher(path).matches()) {
                    readLock(json, location);
                } else {
                    add(json.path("name").asText(""), json.path("version").asText(""), location, "package.json");
                }
            }

            private void readLock(JsonNode lock, String location) {
                if (lock.path("packages").isObject()) {
                    for (Map.Entry<String, JsonNode> e : lock.path("packages").properties()) {
                        int at = e.getKey().lastIndexOf(MODULES);
                        if (at >= 0 && !e.getValue().path("link").asBoolean(false)) {
                            add(
                                    e.getKey().substring(at + MODULES.length()),
                                    e.getValue().path("version").asText(""),
                                    location,
                                    "package-lock.json");
                        }
                    }
                } else {
                    readDependencies(lock.path("dependencies"), location, 0);
                }
            }

            /** Lockfile version 1: nested "dependencies" objects (bounded in depth against hostile files). */
            private void readDependencies(JsonNode dependencies, String location, int depth) {
                if (!dependencies.isObject() || depth > 64) {
                    return;
                }
                for (Map.Entry<String, JsonNode> e : dependencies.properties()) {
                    add(e.getKey(), e.getValue().path("version").asText(""), location, "package-lock.json");
                    readDependencies(e.getValue().path("dependencies"), location, depth + 1);
                }
            }

            private void add(String name, String version, String location, String source) {
                if (name.isBlank() || version.isBlank() || version.contains(":") || version.contains("/")) {
                    return; // git, file and link dependencies have no registry version
                }
                found.add(Component.of(
                        Ecosystem.NPM,
                        name,
                        version,
                        location,
                        null,
                        List.of(new Evidence(source, location, name + "@" + version))));
            }

            @Override
            public List<Component> finish() {
                return found.toList();
            }
        };
    }
}
