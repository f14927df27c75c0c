package io.warden.scanner.catalog.java;

import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a name a jar gives itself (a bare artifact name such as {@code h2}, an OSGi {@code Bundle-SymbolicName}
 * such as {@code org.yaml.snakeyaml}, an {@code Automatic-Module-Name}) to Maven coordinates {@code groupId:artifactId}.
 *
 * <p>Built from the package names of the advisory database, each giving the forms such names regularly take
 * ({@code A}; {@code G.A}; {@code G} when its last segment is {@code A}; {@code G.rest} when {@code A} is
 * {@code last-rest}, with dashes or dots), and from a curated table ({@code maven-names.tsv}) of common bundles whose
 * names differ. A curated entry settles a name; otherwise a name that several packages give is ambiguous.
 */
public final class NameIndex {
    private static final String CURATED = "maven-names.tsv";
    private static final Map<String, String> CURATED_NAMES = readCurated();

    /** The index of the curated table alone, for scans without an advisory database. */
    public static final NameIndex CURATED_ONLY = new NameIndex(List.of());

    private final Map<String, Set<String>> derived = new HashMap<>();

    /** What a name resolves to: one package, several (ambiguous), or none. */
    public record Resolution(String name, Set<String> packages, String source) {
        public boolean unique() {
            return packages.size() == 1;
        }

        public String only() {
            return packages.iterator().next();
        }

        public boolean ambiguous() {
            return packages.size() > 1;
        }
    }

    private NameIndex(Collection<String> mavenNames) {
        for (String name : mavenNames) {
            int colon = name.indexOf(':');
            if (colon <= 0 || colon == name.length() - 1) {
                continue;
            }
            String group = name.substring(0, colon);
            String artifact = name.substring(colon + 1);
            String last = group.substring(group.lastIndexOf('.') + 1);
            add(artifact, name);
            add(group + "." + artifact, name);
            if (last.equals(artifact)) {
                add(group, name);
            }
            if (artifact.startsWith(last + "-")) {
                String rest = artifact.substring(last.length() + 1);
                add(group + "." + rest, name);
                add(group + "." + rest.replace('-', '.'), name);
            }
        }
    }

    /** The index of an advisory database's Maven package names plus the curated table. */
    public static NameIndex of(VulnerabilityStore store) throws IOException {
        return store == null ? CURATED_ONLY : new NameIndex(store.packageNames(Ecosystem.MAVEN));
    }

    static NameIndex of(Collection<String> mavenNames) {
        return new NameIndex(mavenNames);
    }

    /** The packages a name stands for; empty when the index does not know it. */
    public Resolution resolve(String name) {
        String curated = CURATED_NAMES.get(name);
        if (curated != null) {
            return new Resolution(name, Set.of(curated), "curated table");
        }
        Set<String> packages = derived.getOrDefault(name, Set.of());
        return new Resolution(name, packages, "advisory database package names");
    }

    private void add(String key, String name) {
        derived.computeIfAbsent(key, k -> new TreeSet<>()).add(name);
    }

    private static Map<String, String> readCurated() {
        Map<String, String> names = new HashMap<>();
        for (String[] f : ResourceTable.rows(CURATED, 2)) {
            if (f[1].indexOf(':') <= 0) {
                throw new IllegalStateException(CURATED + ": not name<TAB>groupId:artifactId: " + String.join("\t", f));
            }
            names.put(f[0], f[1]);
        }
        return Map.copyOf(names);
    }
}
