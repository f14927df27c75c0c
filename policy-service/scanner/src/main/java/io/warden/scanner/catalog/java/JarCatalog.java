package io.warden.scanner.catalog.java;

import io.warden.scanner.archive.Archive;
import io.warden.scanner.catalog.Cataloger.ArchiveCatalog;
import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import io.warden.scanner.catalog.Evidence;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java components of one archive.
 *
 * <ol>
 *   <li>Each {@code META-INF/maven/G/A/pom.properties} is a component. The one named like the jar (or the only one) is
 *       the jar itself; any other is a shaded copy, marked as embedded in this jar.
 *   <li>A {@code META-INF/maven/G/A/pom.xml} without properties beside it counts when it literally states G, A (the
 *       same as its folder) and a version. POMs anywhere else are ignored: they are templates, test data or
 *       examples, and reading them gives phantom components.
 *   <li>A jar that none of these names is identified from the names its {@code MANIFEST.MF} gives it
 *       (Bundle-SymbolicName, Automatic-Module-Name) through the {@link NameIndex}, else from an artifact name
 *       (Implementation-Title or the file name) with a group from Implementation-Vendor-Id, the Bundle-SymbolicName
 *       when it reads {@code group.artifactId}, the classes' package when the artifact's last word is one of its
 *       segments ({@code org/springframework/beans} for {@code spring-beans} gives {@code org.springframework}), or
 *       the name index. What stays unknown is said in the component, which is never dropped.
 *   <li>Class fingerprints ({@link ClassFingerprints}) find stripped or relocated copies of the libraries they cover
 *       and narrow their version to those whose classes have the same shape.
 * </ol>
 */
final class JarCatalog implements ArchiveCatalog {
    private static final Pattern POM_FILE =
            Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/(pom\\.properties|pom\\.xml)");
    /** {@code name-version.jar}, without the classifier of a fat jar ({@code app-1.0-all.jar} is app 1.0). */
    private static final Pattern FILE_NAME = Pattern.compile(
            "(.+?)-(\\d[\\w.+-]*?)"
                    + "(?:-(?:all|shaded|uber|fat|standalone|jar-with-dependencies))?\\.(?:jar|war|ear|aar)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVERSE_DOMAIN = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_-]+)+");
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private final Archive archive;
    private final NameIndex names;
    private final boolean isJar;
    private final Map<String, Properties> pomProperties = new LinkedHashMap<>();
    private final Map<String, PomXml> pomXmls = new LinkedHashMap<>();
    private final ClassFingerprints fingerprints = ClassFingerprints.builtIn();
    private final List<FingerprintHit> fingerprintHits = new ArrayList<>();
    private Attributes manifest;
    private String commonPackage;

    private record FingerprintHit(ClassFingerprints.Match match, String path) {}

    JarCatalog(Archive archive, NameIndex names) {
        this.archive = archive;
        this.names = names;
        String lower = archive.fileName().toLowerCase(Locale.ROOT);
        this.isJar =
                lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear") || lower.endsWith(".aar");
    }

    @Override
    public boolean wantsContent(String path) {
        if (path.startsWith("META-INF/")) {
            return path.equals(MANIFEST) || POM_FILE.matcher(path).matches();
        }
        return fingerprints.mayMatch(path);
    }

    @Override
    public void entry(String path, byte[] content) {
        if (path.endsWith(".class")) {
            notePackage(path);
        }
        if (content == null) {
            return;
        }
        Matcher pom = POM_FILE.matcher(path);
        if (path.startsWith("META-INF/maven/") && pom.matches()) {
            String folder = pom.group(1) + ":" + pom.group(2);
            if (pom.group(3).equals("pom.properties")) {
                readProperties(content).ifPresent(p -> pomProperties.put(folder, p));
            } else {
                PomXml.parse(content)
                        .filter(p -> folder.equals(p.groupId() + ":" + p.artifactId()))
                        .ifPresent(p -> pomXmls.put(folder, p));
            }
        } else if (path.equals(MANIFEST)) {
            try {
                manifest = new Manifest(new ByteArrayInputStream(content)).getMainAttributes();
            } catch (IOException | RuntimeException unreadable) {
                manifest = null;
            }
        } else if (fingerprints.mayMatch(path)) {
            for (ClassFingerprints.Match match : fingerprints.match(path, content)) {
                fingerprintHits.add(new FingerprintHit(match, path));
            }
        }
    }

    /**
     * A jar naming itself: its own {@code pom.properties} (the one {@link #primaryOf} picks), or a manifest stating
     * both the title and the version of an implementation or of an OSGi bundle.
     */
    @Override
    public boolean identifiesPublishedArtifact() {
        if (!isJar) {
            return false;
        }
        if (primaryOf(fromPomProperties()) != null) {
            return true;
        }
        if (manifest == null) {
            return false;
        }
        boolean implementation = firstNonBlank(manifest.getValue("Implementation-Title")) != null
                && firstNonBlank(manifest.getValue("Implementation-Version")) != null;
        boolean bundle = firstNonBlank(manifest.getValue("Bundle-SymbolicName")) != null
                && firstNonBlank(manifest.getValue("Bundle-Version")) != null;
        return implementation || bundle;
    }

    @Override
    public List<Component> finish() {
        List<Identified> identified = fromPomProperties();
        pomXmls.forEach((folder, pom) -> {
            if (!pomProperties.containsKey(folder)) {
                String file = "META-INF/maven/" + folder.replace(':', '/') + "/pom.xml";
                identified.add(new Identified(
                        pom.groupId(),
                        pom.artifactId(),
                        pom.version(),
                        new Evidence("pom.xml", archive.locationOf(file), "<version>" + pom.version() + "</version>")));
            }
        });

        Identified primary = isJar ? primaryOf(identified) : null;
        List<Component> components = new ArrayList<>();
        for (Identified i : identified) {
            components.add(Component.of(
                    Ecosystem.MAVEN,
                    i.groupId + ":" + i.artifactId,
                    i.version,
                    archive.location(),
                    i == primary || !isJar ? null : archive.location(),
                    List.of(i.evidence)));
        }
        if (isJar && primary == null && components.stream().noneMatch(c -> c.embeddedIn() == null)) {
            fromManifestAndFileName().ifPresent(components::add);
        }
        addFingerprinted(components);
        return components;
    }

    private List<Identified> fromPomProperties() {
        List<Identified> identified = new ArrayList<>();
        pomProperties.forEach((folder, p) -> {
            String groupId = p.getProperty("groupId", "").trim();
            String artifactId = p.getProperty("artifactId", "").trim();
            String version = p.getProperty("version", "").trim();
            String name = groupId + ":" + artifactId;
            if (name.equals(folder) && !version.isEmpty() && !version.contains("${")) {
                String file = "META-INF/maven/" + folder.replace(':', '/') + "/pom.properties";
                identified.add(new Identified(
                        groupId,
                        artifactId,
                        version,
                        new Evidence("pom.properties", archive.locationOf(file), "version=" + version)));
            }
        });
        return identified;
    }

    private record Identified(String groupId, String artifactId, String version, Evidence evidence) {}

    /** The component that is this jar itself: the one named like the file, else the only one. */
    private Identified primaryOf(List<Identified> identified) {
        String file = archive.fileName();
        for (Identified i : identified) {
            if (file.startsWith(i.artifactId + "-") || file.startsWith(i.artifactId + ".")) {
                return i;
            }
        }
        return identified.size() == 1 ? identified.get(0) : null;
    }

    /**
     * Adds what class fingerprints found: evidence for a library already identified in this jar, else a component of
     * unknown version whose possible versions are those every matching class allows. A copy at the library's own
     * paths in a jar that names nothing else is the jar itself (stripped); any other is embedded in this jar.
     */
    private void addFingerprinted(List<Component> components) {
        Map<String, List<FingerprintHit>> byLibrary = new LinkedHashMap<>();
        for (FingerprintHit hit : fingerprintHits) {
            byLibrary
                    .computeIfAbsent(hit.match().fingerprinted().library(), k -> new ArrayList<>())
                    .add(hit);
        }
        boolean jarIdentified = components.stream().anyMatch(c -> c.embeddedIn() == null);
        byLibrary.forEach((library, hits) -> {
            List<Evidence> evidence = new ArrayList<>();
            Set<String> possible = null;
            boolean relocated = false;
            for (FingerprintHit hit : hits) {
                ClassFingerprints.Match m = hit.match();
                relocated |= !hit.path().equals(m.fingerprinted().canonicalPath());
                evidence.add(new Evidence(
                        "class fingerprint",
                        archive.locationOf(hit.path()),
                        m.versions().isEmpty()
                                ? m.fingerprinted().fileName() + " with the constant \""
                                        + m.fingerprinted().marker() + "\" (shape " + m.fingerprint()
                                        + ", in no version the table holds)"
                                : "shape " + m.fingerprint() + " of "
                                        + m.fingerprinted().canonicalPath() + " in " + library + " "
                                        + String.join(", ", m.versions())));
                if (!m.versions().isEmpty()) {
                    if (possible == null) {
                        possible = new LinkedHashSet<>(m.versions());
                    } else {
                        possible.retainAll(m.versions());
                    }
                }
            }
            int existing = indexOf(components, library);
            if (existing >= 0) {
                components.set(existing, components.get(existing).withEvidence(evidence));
                return;
            }
            String embeddedIn = relocated || jarIdentified || !isJar ? archive.location() : null;
            Component found = Component.of(Ecosystem.MAVEN, library, null, archive.location(), embeddedIn, evidence);
            components.add(possible == null ? found : found.withPossibleVersions(List.copyOf(possible)));
        });
    }

    private static int indexOf(List<Component> components, String name) {
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * This jar identified from what it says of itself besides Maven metadata: the names it gives itself in its manifest
     * (resolved through the name index), else an artifact name (Implementation-Title, or the file name) with a group
     * from the manifest or the package tree, else the artifact name through the name index. What stays unknown is said.
     */
    private Optional<Component> fromManifestAndFileName() {
        List<Evidence> evidence = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Matcher file = FILE_NAME.matcher(archive.fileName());
        String fileArtifact = file.matches() ? file.group(1) : null;
        String name = null;
        for (String header : List.of("Bundle-SymbolicName", "Automatic-Module-Name")) {
            String value = header.equals("Bundle-SymbolicName") ? bundleSymbolicName() : manifestValue(header);
            if (value == null) {
                continue;
            }
            NameIndex.Resolution resolution = names.resolve(value);
            if (resolution.unique()) {
                name = resolution.only();
                evidence.add(manifestEvidence(header + ": " + value));
                evidence.add(indexEvidence(resolution));
                break;
            }
            if (resolution.ambiguous()) {
                unknown.add(header + " " + value + " is ambiguous: " + String.join(", ", resolution.packages()));
            }
        }
        if (name == null) {
            String title = manifestValue("Implementation-Title");
            String artifactId;
            if (title != null && TOKEN.matcher(title).matches()) {
                artifactId = title;
                evidence.add(manifestEvidence("Implementation-Title: " + artifactId));
            } else if (fileArtifact != null) {
                artifactId = fileArtifact;
                evidence.add(fileNameEvidence());
            } else {
                return Optional.empty();
            }
            String groupId = groupId(artifactId, evidence);
            if (groupId != null) {
                name = groupId + ":" + artifactId;
            } else {
                NameIndex.Resolution resolution = names.resolve(artifactId);
                if (resolution.unique()) {
                    name = resolution.only();
                    evidence.add(indexEvidence(resolution));
                } else {
                    name = artifactId;
                    unknown.add(
                            resolution.ambiguous()
                                    ? "group unknown: the artifact name '" + artifactId + "' is ambiguous: "
                                            + String.join(", ", resolution.packages())
                                    : "group unknown: no Maven metadata, manifest group or package tree names it, and the"
                                            + " name index does not know the artifact name '" + artifactId + "'");
                }
            }
        }
        String artifactId = name.substring(name.indexOf(':') + 1);
        // Bundle-Version is OSGi-normalized (1.30 becomes 1.30.0, 31.1-jre becomes 31.1.0.jre): the file name's
        // version, when the file is named after this artifact, is closer to the Maven version, so it comes before it.
        String version = manifestValue("Implementation-Version");
        if (version != null) {
            evidence.add(manifestEvidence("Implementation-Version: " + version));
        } else if (artifactId.equals(fileArtifact)) {
            version = file.group(2);
            if (!evidence.contains(fileNameEvidence())) {
                evidence.add(fileNameEvidence());
            }
        } else if ((version = manifestValue("Bundle-Version")) != null) {
            evidence.add(manifestEvidence("Bundle-Version: " + version));
        } else {
            unknown.add("version unknown: neither the manifest nor the file name states one");
        }
        Component component = Component.of(Ecosystem.MAVEN, name, version, archive.location(), null, evidence)
                .inferred();
        return Optional.of(unknown.isEmpty() ? component : component.withUnresolved(String.join("; ", unknown)));
    }

    private String groupId(String artifactId, List<Evidence> evidence) {
        String vendorId = manifestValue("Implementation-Vendor-Id");
        if (vendorId != null && REVERSE_DOMAIN.matcher(vendorId).matches()) {
            evidence.add(manifestEvidence("Implementation-Vendor-Id: " + vendorId));
            return vendorId;
        }
        String symbolicName = bundleSymbolicName();
        if (symbolicName != null && symbolicName.endsWith("." + artifactId)) {
            String groupId = symbolicName.substring(0, symbolicName.length() - artifactId.length() - 1);
            evidence.add(manifestEvidence("Bundle-SymbolicName: " + symbolicName));
            return groupId;
        }
        if (commonPackage == null) {
            return null;
        }
        String[] segments = commonPackage.split("/");
        String[] words = artifactId.split("-");
        // io/grpc/netty/shaded/** for grpc-netty-shaded: the package spells the artifact's words, the first of them
        // closing the group (io.grpc), as in org.apache.logging.log4j:log4j-core. One word is too weak a sign
        // (org/yaml/snakeyaml is org.yaml:snakeyaml).
        for (int first = 1; words.length > 1 && first + words.length <= segments.length; first++) {
            if (Arrays.equals(Arrays.copyOfRange(segments, first, first + words.length), words)) {
                String groupId = String.join(".", Arrays.copyOf(segments, first + 1));
                evidence.add(new Evidence(
                        "class packages",
                        archive.location(),
                        "all classes under " + commonPackage.replace('/', '.')
                                + ", which spells the artifact's words, so group " + groupId));
                return groupId;
            }
        }
        String lastWord = words[words.length - 1];
        for (int i = segments.length - 1; i >= 2; i--) {
            if (segments[i].equals(lastWord)) {
                String groupId = String.join(".", Arrays.copyOf(segments, i));
                evidence.add(new Evidence(
                        "class packages",
                        archive.location(),
                        "all classes under " + commonPackage.replace('/', '.') + ", so group " + groupId));
                return groupId;
            }
        }
        return null;
    }

    private Evidence fileNameEvidence() {
        return new Evidence("file name", archive.location(), archive.fileName());
    }

    private Evidence indexEvidence(NameIndex.Resolution resolution) {
        return new Evidence(
                "name index",
                archive.location(),
                resolution.name() + " is " + resolution.only() + " (" + resolution.source() + ")");
    }

    private String manifestValue(String header) {
        return manifest == null ? null : firstNonBlank(manifest.getValue(header));
    }

    private Evidence manifestEvidence(String detail) {
        return new Evidence("MANIFEST.MF", archive.locationOf(MANIFEST), detail);
    }

    private String bundleSymbolicName() {
        String value = manifestValue("Bundle-SymbolicName");
        return value == null ? null : firstNonBlank(value.split(";")[0]);
    }

    /** Keeps the longest package (as a path) that every class of the jar's own tree lies under. */
    private void notePackage(String path) {
        if (path.startsWith("META-INF/") || path.startsWith("BOOT-INF/") || path.startsWith("WEB-INF/")) {
            return;
        }
        int slash = path.lastIndexOf('/');
        String pkg = slash < 0 ? "" : path.substring(0, slash);
        if (commonPackage == null) {
            commonPackage = pkg;
            return;
        }
        if (pkg.equals(commonPackage) || pkg.startsWith(commonPackage + "/")) {
            return;
        }
        String[] a = commonPackage.split("/");
        String[] b = pkg.split("/");
        int same = 0;
        while (same < a.length && same < b.length && a[same].equals(b[same])) {
            same++;
        }
        commonPackage = String.join("/", Arrays.copyOf(a, same));
    }

    private static Optional<Properties> readProperties(byte[] content) {
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(content));
            return Optional.of(properties);
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
