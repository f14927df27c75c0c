package io.warden.scanner.catalog;

import static io.warden.scanner.TestPackages.bytes;
import static io.warden.scanner.TestPackages.entries;
import static io.warden.scanner.TestPackages.realJar;
import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.scanner.PackageScanner;
import io.warden.scanner.ScanResult;
import io.warden.scanner.TestPackages;
import io.warden.scanner.vuln.Vulnerability;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Maven Central jars assembled into every package shape a function or layer comes in, scanned against the real
 * advisories of the shared corpus.
 */
class PackageShapesTest {
    /** The real jars (see the pom), each listed in the corpus's expected.tsv but h2, and what they are. */
    static final Map<String, String> COORDINATES = TruthSet.JARS;

    static final List<String> JARS = COORDINATES.keySet().stream().sorted().toList();

    @TempDir
    static Path dbDir;

    static VulnerabilityStore store;

    @BeforeAll
    static void openCorpus() throws IOException {
        store = TestPackages.corpusStore(dbDir);
    }

    @AfterAll
    static void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    static ScanResult scan(byte[] packageBytes, String name) throws IOException {
        return new PackageScanner(store).scan(new ByteArrayInputStream(packageBytes), name);
    }

    static Set<String> coordinates(ScanResult result) {
        return result.components().stream()
                .map(c -> c.name() + "@" + c.version())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, byte[]> jarsUnder(String folder) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        JARS.forEach(j -> entries.put(folder + j, bytes(realJar(j))));
        return entries;
    }

    /** Every component found has exactly the advisories the corpus lists for it (fixed versions: none). */
    static void assertAdvisoriesAsTheCorpusSays(ScanResult result) throws IOException {
        for (Component c : result.components()) {
            Set<String> expected = TestPackages.expectedAdvisories(c.name(), c.version());
            if (expected == null) {
                continue;
            }
            Set<String> found = result.vulnerabilities().stream()
                    .filter(v -> v.component() == c)
                    .map(v -> v.advisory().id())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(found)
                    .as("%s %s in %s", c.name(), c.version(), c.location())
                    .isEqualTo(new TreeSet<>(expected));
        }
    }

    @Test
    void thinZipWithLibFolder() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("com/example/Handler.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        entries.putAll(jarsUnder("lib/"));
        ScanResult result = scan(zip(entries), "function.zip");

        assertThat(coordinates(result)).containsExactlyInAnyOrderElementsOf(COORDINATES.values());
        assertThat(result.components())
                .allSatisfy(c -> assertThat(c.embeddedIn()).isNull());
        assertThat(result.components()).allSatisfy(c -> assertThat(c.purl()).startsWith("pkg:maven/"));
        assertAdvisoriesAsTheCorpusSays(result);
        assertThat(result.vulnerabilities())
                .extracting(v -> v.advisory().id())
                .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-36p3-wjmg-h94x", "GHSA-599f-7c49-w659");
        assertThat(result.unscannable()).isEmpty();
    }

    @Test
    void layerZipWithJavaLib() throws IOException {
        ScanResult result = scan(zip(jarsUnder("java/lib/")), "layer.zip");
        assertThat(coordinates(result)).containsExactlyInAnyOrderElementsOf(COORDINATES.values());
        assertThat(result.components())
                .anySatisfy(c -> assertThat(c.location()).isEqualTo("layer.zip!/java/lib/log4j-core-2.14.1.jar"));
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void springBootFatJar() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "META-INF/MANIFEST.MF",
                ("Manifest-Version: 1.0\r\nMain-Class: "
                                + "org.springframework.boot.loader.JarLauncher\r\nStart-Class: com.example.App\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        entries.put(
                "META-INF/maven/com.example/app/pom.properties",
                "groupId=com.example\nartifactId=app\nversion=1.0.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("BOOT-INF/classes/com/example/App.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
        entries.putAll(jarsUnder("BOOT-INF/lib/"));
        ScanResult result = scan(zip(entries), "app-1.0.0.jar");

        assertThat(coordinates(result))
                .containsExactlyInAnyOrderElementsOf(concat(COORDINATES.values(), "com.example:app@1.0.0"));
        assertThat(result.components())
                .filteredOn(c -> c.name().equals("org.springframework:spring-beans"))
                .allSatisfy(c ->
                        assertThat(c.evidence()).extracting(Evidence::source).contains("MANIFEST.MF"));
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void warWithWebInfLib() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/web.xml", "<web-app/>".getBytes(StandardCharsets.UTF_8));
        entries.putAll(jarsUnder("WEB-INF/lib/"));
        ScanResult result = scan(zip(entries), "shop.war");
        assertThat(coordinates(result)).containsExactlyInAnyOrderElementsOf(COORDINATES.values());
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void shadedUberJarMarksEmbeddedCopies() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "META-INF/maven/com.example/function/pom.properties",
                "groupId=com.example\nartifactId=function\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
        entries.putAll(entries(realJar("log4j-core-2.14.1.jar")));
        entries(realJar("jackson-databind-2.9.8.jar")).forEach(entries::putIfAbsent);
        ScanResult result = scan(zip(entries), "function-1.0.jar");

        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "com.example:function@1.0",
                        "org.apache.logging.log4j:log4j-core@2.14.1",
                        "com.fasterxml.jackson.core:jackson-databind@2.9.8");
        assertThat(result.components())
                .filteredOn(c -> !c.name().equals("com.example:function"))
                .allSatisfy(c -> assertThat(c.embeddedIn()).isEqualTo("function-1.0.jar"));
        assertThat(result.components())
                .filteredOn(c -> c.name().equals("com.example:function"))
                .allSatisfy(c -> assertThat(c.embeddedIn()).isNull());
        assertAdvisoriesAsTheCorpusSays(result);
        assertThat(result.vulnerabilities()).extracting(v -> v.advisory().id()).contains("GHSA-jfh8-c2jp-5v3q");
    }

    @Test
    void jarsWithPomPropertiesStrippedAreIdentifiedFromManifestAndClasses() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String jar : List.of(
                "log4j-core-2.14.1.jar", "commons-text-1.9.jar", "jackson-databind-2.9.8.jar", "snakeyaml-1.30.jar")) {
            Map<String, byte[]> stripped = entries(realJar(jar));
            stripped.keySet().removeIf(name -> name.startsWith("META-INF/maven/"));
            entries.put("lib/" + jar, zip(stripped));
        }
        entries.put("lib/spring-beans-5.3.17.jar", bytes(realJar("spring-beans-5.3.17.jar"))); // ships without them
        ScanResult result = scan(zip(entries), "function.zip");

        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "org.apache.logging.log4j:log4j-core@2.14.1",
                        "org.apache.commons:commons-text@1.9",
                        "com.fasterxml.jackson.core:jackson-databind@2.9.8",
                        "org.yaml:snakeyaml@1.30",
                        "org.springframework:spring-beans@5.3.17");
        assertThat(result.components())
                .noneMatch(c -> c.evidence().stream().anyMatch(e -> e.source().equals("pom.properties")));
        assertAdvisoriesAsTheCorpusSays(result);
        assertThat(result.vulnerabilities())
                .extracting(v -> v.advisory().id())
                .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-599f-7c49-w659", "GHSA-36p3-wjmg-h94x", "GHSA-mjmj-j48q-9wg2");
    }

    @Test
    void renamedJarsAreIdentifiedByTheirContentNotTheirNames() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("lib/a.jar", bytes(realJar("jackson-databind-2.9.8.jar")));
        entries.put("lib/logging-latest.jar", bytes(realJar("log4j-core-2.17.1.jar")));
        Map<String, byte[]> stripped = entries(realJar("log4j-core-2.14.1.jar"));
        stripped.keySet().removeIf(name -> name.startsWith("META-INF/maven/"));
        entries.put("lib/x-9.9.jar", zip(stripped)); // renamed and stripped: the JndiLookup fingerprint and manifest
        ScanResult result = scan(zip(entries), "function.zip");

        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "com.fasterxml.jackson.core:jackson-databind@2.9.8",
                        "org.apache.logging.log4j:log4j-core@2.17.1",
                        "org.apache.logging.log4j:log4j-core@2.14.1");
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void jarInJar() throws IOException {
        byte[] inner = zip(Map.of("lib/snakeyaml-1.30.jar", bytes(realJar("snakeyaml-1.30.jar"))));
        ScanResult result = scan(zip(Map.of("lib/outer.jar", inner)), "function.zip");
        assertThat(coordinates(result)).containsExactly("org.yaml:snakeyaml@1.30");
        assertThat(result.components().get(0).location())
                .isEqualTo("function.zip!/lib/outer.jar!/lib/snakeyaml-1.30.jar");
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void relocatedJndiLookupIsFoundInAnotherVendorsJar() throws IOException {
        Map<String, byte[]> vendor = new LinkedHashMap<>();
        vendor.put(
                "META-INF/maven/com.vendor/sdk/pom.properties",
                "groupId=com.vendor\nartifactId=sdk\nversion=3.2\n".getBytes(StandardCharsets.UTF_8));
        entries(realJar("log4j-core-2.14.1.jar")).forEach((name, content) -> {
            if (name.startsWith("org/")) {
                vendor.put("com/vendor/shaded/" + name, content);
            }
        });
        ScanResult result = scan(zip(Map.of("lib/sdk-3.2.jar", zip(vendor))), "function.zip");

        Component log4j = result.components().stream()
                .filter(c -> c.name().equals("org.apache.logging.log4j:log4j-core"))
                .findFirst()
                .orElseThrow();
        assertThat(log4j.version()).isNull();
        assertThat(log4j.confidence()).isEqualTo(Confidence.UNKNOWN_VERSION);
        assertThat(log4j.embeddedIn()).isEqualTo("function.zip!/lib/sdk-3.2.jar");
        assertThat(log4j.evidence()).extracting(Evidence::source).containsOnly("class fingerprint");
        assertThat(log4j.evidence())
                .extracting(Evidence::location)
                .containsExactlyInAnyOrder(
                        "function.zip!/lib/sdk-3.2.jar!/com/vendor/shaded/org/apache/logging/log4j/core/lookup/JndiLookup.class",
                        "function.zip!/lib/sdk-3.2.jar!/com/vendor/shaded/org/apache/logging/log4j/core/net/JndiManager.class");
        // JndiLookup's shape is the same from 2.9.0 to 2.16.0, JndiManager's from 2.9.0 to 2.14.1: together,
        // 2.9.0-2.14.1.
        assertThat(log4j.possibleVersions())
                .contains("2.9.0", "2.14.1")
                .doesNotContain("2.8.2", "2.15.0", "2.16.0", "2.17.1");
        assertThat(result.vulnerabilities())
                .filteredOn(v -> v.component() == log4j)
                .allMatch(Vulnerability::versionUnknown)
                .extracting(v -> v.advisory().id())
                .contains("GHSA-jfh8-c2jp-5v3q");
        assertThat(coordinates(result)).contains("com.vendor:sdk@3.2");
    }

    /**
     * A vendor's jar built by maven-shade from real jars, every library relocated under the vendor's package (one of
     * them renamed, not only prefixed) and their Maven metadata and manifests left out: only the classes' shapes are
     * left to tell what they are.
     */
    @Test
    void shadedWithRelocationIsIdentifiedByClassFingerprints() throws IOException {
        Map<String, String> truth = Map.of(
                "log4j-core-2.14.1.jar",
                "org.apache.logging.log4j:log4j-core@2.14.1",
                "jackson-databind-2.9.8.jar",
                "com.fasterxml.jackson.core:jackson-databind@2.9.8",
                "commons-text-1.9.jar",
                "org.apache.commons:commons-text@1.9",
                "snakeyaml-1.30.jar",
                "org.yaml:snakeyaml@1.30",
                "spring-beans-5.3.17.jar",
                "org.springframework:spring-beans@5.3.17",
                "netty-codec-http-4.1.70.Final.jar",
                "io.netty:netty-codec-http@4.1.70.Final",
                "h2-1.4.200.jar",
                "com.h2database:h2@1.4.200");
        byte[] vendor = TruthSet.shade(
                truth.keySet().stream().sorted().map(TestPackages::realJar).toList(), TruthSet.RELOCATIONS);
        assertThat(entries(vendor).keySet())
                .noneMatch(name -> name.startsWith("META-INF/maven/"))
                .anyMatch(name -> name.startsWith("com/vendor/yaml/"));
        ScanResult result = scan(zip(Map.of("lib/vendor-sdk-3.2.jar", vendor)), "function.zip");

        assertThat(result.unscannable()).isEmpty();
        for (String coordinates : truth.values()) {
            String name = coordinates.substring(0, coordinates.indexOf('@'));
            String version = coordinates.substring(coordinates.indexOf('@') + 1);
            Component c = component(result, name);
            assertThat(c.version()).as(name).isNull();
            assertThat(c.confidence()).as(name).isEqualTo(Confidence.UNKNOWN_VERSION);
            assertThat(c.embeddedIn()).as(name).isEqualTo("function.zip!/lib/vendor-sdk-3.2.jar");
            assertThat(c.possibleVersions()).as(name).contains(version);
            assertThat(c.evidence()).as(name).isNotEmpty().allSatisfy(e -> {
                assertThat(e.source()).isEqualTo("class fingerprint");
                assertThat(e.location()).startsWith("function.zip!/lib/vendor-sdk-3.2.jar!/com/vendor/");
            });
            Set<String> expected = TestPackages.expectedAdvisories(name, version);
            if (expected != null) {
                assertThat(advisories(result, c)).as(name).containsAll(expected);
            }
        }
        // Classes that state their version, or changed in every release, narrow it to one.
        assertThat(component(result, "com.fasterxml.jackson.core:jackson-databind")
                        .possibleVersions())
                .containsExactly("2.9.8");
        assertThat(component(result, "com.h2database:h2").possibleVersions()).containsExactly("1.4.200");
        assertThat(component(result, "org.apache.commons:commons-text").possibleVersions())
                .containsExactly("1.9");
        assertThat(component(result, "org.apache.logging.log4j:log4j-core").possibleVersions())
                .contains("2.9.0", "2.14.1")
                .doesNotContain("2.8.2", "2.15.0", "2.17.1");
        // Narrowed, the advisories of versions it cannot be are not reported: 2.14.1's fix of GHSA-jfh8 is 2.15.0.
        assertThat(advisories(result, component(result, "org.yaml:snakeyaml")))
                .isEqualTo(advisoriesOfAny(
                        "org.yaml:snakeyaml",
                        component(result, "org.yaml:snakeyaml").possibleVersions()));
        assertThat(component(result, "vendor-sdk").unresolved()).startsWith("group unknown");
    }

    /** The corpus's advisories for any of these versions that expected.tsv lists. */
    static Set<String> advisoriesOfAny(String name, List<String> versions) throws IOException {
        Set<String> all = new TreeSet<>();
        for (String v : versions) {
            Set<String> ids = TestPackages.expectedAdvisories(name, v);
            if (ids != null) {
                all.addAll(ids);
            }
        }
        return all;
    }

    @Test
    void strayPomFilesGiveNoPhantomComponents() throws IOException {
        Map<String, byte[]> tool = new LinkedHashMap<>();
        tool.put(
                "META-INF/maven/com.example/tool/pom.properties",
                "groupId=com.example\nartifactId=tool\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
        tool.put("META-INF/maven/com.example/tool/pom.xml", pom("com.example", "tool", "1.0"));
        tool.put("archetype-resources/pom.xml", pom("${groupId}", "${artifactId}", "9.9.9"));
        tool.put("src/test/resources/pom.xml", pom("org.apache.logging.log4j", "log4j-core", "2.0"));
        tool.put("META-INF/maven/org.other/templated/pom.xml", pom("org.other", "templated", "${revision}"));
        tool.put("META-INF/maven/org.other/misplaced/pom.xml", pom("org.elsewhere", "other-name", "1.2.3"));
        ScanResult result = scan(zip(Map.of("lib/tool-1.0.jar", zip(tool))), "function.zip");
        assertThat(coordinates(result)).containsExactly("com.example:tool@1.0");
        assertThat(result.vulnerabilities()).isEmpty();
    }

    @Test
    void pomXmlCountsWhereThePropertiesAreMissing() throws IOException {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/maven/org.yaml/snakeyaml/pom.xml", pom("org.yaml", "snakeyaml", "1.30"));
        jar.put("org/yaml/snakeyaml/Yaml.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
        ScanResult result = scan(zip(Map.of("lib/yaml.jar", zip(jar))), "function.zip");
        assertThat(coordinates(result)).containsExactly("org.yaml:snakeyaml@1.30");
        assertThat(result.components().get(0).evidence())
                .extracting(Evidence::source)
                .containsExactly("pom.xml");
        assertAdvisoriesAsTheCorpusSays(result);
    }

    /** An AWS access key pair, as the function's owner might leave one in the package. */
    static final String KEY_ID = "AKIA" + "QYLPMN5HXTVW2ZKD";

    static final String SECRET_KEY = "k9Xw2Lq7Vt4Rz8Nb3Mc6Pd1Hf5Gj0Ys2Ua7Ie4O";

    static byte[] credentials() {
        return ("aws.accessKeyId=" + KEY_ID + "\naws.secretAccessKey=" + SECRET_KEY + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Component component(ScanResult result, String name) {
        return result.components().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not found in " + coordinates(result)));
    }

    static Set<String> advisories(ScanResult result, Component c) {
        return result.vulnerabilities().stream()
                .filter(v -> v.component() == c)
                .map(v -> v.advisory().id())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void jarsWithoutMavenMetadataNamedNameDashVersionAreComponentsAndTheirContentIsScanned() throws IOException {
        Map<String, byte[]> own = new LinkedHashMap<>();
        own.put("com/example/orders/Handler.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        own.put("application.properties", credentials());
        own.put("lib/log4j-core-2.14.1.jar", bytes(realJar("log4j-core-2.14.1.jar")));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("lib/h2-1.4.200.jar", bytes(realJar("h2-1.4.200.jar")));
        entries.put("lib/orders-service-1.0.jar", zip(own));
        ScanResult result = scan(zip(entries), "function.zip");

        assertThat(result.unscannable()).isEmpty();
        Component h2 = component(result, "com.h2database:h2");
        assertThat(h2.version()).isEqualTo("1.4.200");
        assertThat(h2.purl()).isEqualTo("pkg:maven/com.h2database/h2@1.4.200");
        assertThat(h2.confidence()).isEqualTo(Confidence.INFERRED);
        assertThat(h2.unresolved()).isNull();
        assertThat(h2.evidence())
                .extracting(Evidence::detail)
                .contains(
                        "Bundle-SymbolicName: com.h2database",
                        "com.h2database is com.h2database:h2 (curated table)",
                        "Implementation-Version: 1.4.200");

        Component orders = component(result, "orders-service");
        assertThat(orders.version()).isEqualTo("1.0");
        assertThat(orders.purl()).isNull();
        assertThat(orders.confidence()).isEqualTo(Confidence.INFERRED);
        assertThat(orders.unresolved()).startsWith("group unknown").contains("'orders-service'");
        assertThat(orders.evidence()).extracting(Evidence::source).containsExactly("file name");

        Component log4j = component(result, "org.apache.logging.log4j:log4j-core");
        assertThat(log4j.location()).isEqualTo("function.zip!/lib/orders-service-1.0.jar!/lib/log4j-core-2.14.1.jar");
        assertThat(advisories(result, log4j))
                .isEqualTo(new TreeSet<>(
                        TestPackages.expectedAdvisories("org.apache.logging.log4j:log4j-core", "2.14.1")));
        assertThat(result.secrets())
                .extracting(s -> s.location())
                .contains("function.zip!/lib/orders-service-1.0.jar!/application.properties");
        assertAdvisoriesAsTheCorpusSays(result);
    }

    @Test
    void strippedAndRenamedJarsAreIdentifiedByTheNamesTheirManifestsGive() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "lib/yaml.jar",
                zip(TruthSet.stripped("snakeyaml-1.30.jar"))); // OSGi only: Bundle-SymbolicName org.yaml.snakeyaml
        entries.put("lib/google-core-libs.jar", zip(TruthSet.stripped("guava-31.1-jre.jar"))); // com.google.guava
        entries.put("lib/text.jar", zip(TruthSet.stripped("commons-text-1.9.jar")));
        entries.put("lib/beans.jar", bytes(realJar("spring-beans-5.3.17.jar"))); // Automatic-Module-Name spring.beans
        ScanResult result = scan(zip(entries), "function.zip");

        assertThat(result.unscannable()).isEmpty();
        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "org.yaml:snakeyaml@1.30.0",
                        "com.google.guava:guava@31.1.0.jre",
                        "org.apache.commons:commons-text@1.9",
                        "org.springframework:spring-beans@5.3.17");
        assertThat(result.components()).allSatisfy(c -> {
            assertThat(c.confidence()).isEqualTo(Confidence.INFERRED);
            assertThat(c.purl()).startsWith("pkg:maven/");
            assertThat(c.evidence()).extracting(Evidence::source).contains("MANIFEST.MF", "name index");
        });
        assertThat(component(result, "org.yaml:snakeyaml").evidence())
                .extracting(Evidence::detail)
                .contains("Bundle-SymbolicName: org.yaml.snakeyaml", "Bundle-Version: 1.30.0");
        assertThat(advisories(result, component(result, "org.yaml:snakeyaml")))
                .isEqualTo(new TreeSet<>(TestPackages.expectedAdvisories("org.yaml:snakeyaml", "1.30")));
        assertThat(advisories(result, component(result, "com.google.guava:guava")))
                .isEqualTo(new TreeSet<>(TestPackages.expectedAdvisories("com.google.guava:guava", "31.1-jre")));
        assertThat(advisories(result, component(result, "org.apache.commons:commons-text")))
                .isEqualTo(new TreeSet<>(TestPackages.expectedAdvisories("org.apache.commons:commons-text", "1.9")));
        assertThat(advisories(result, component(result, "org.springframework:spring-beans")))
                .isEqualTo(
                        new TreeSet<>(TestPackages.expectedAdvisories("org.springframework:spring-beans", "5.3.17")));
    }

    @Test
    void gradleStyleFatJarIsTheFunctionsOwnCodeWithItsLibrariesMergedIn() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nMain-Class: com.example.App\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        entries.put("com/example/App.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        entries.put("application.properties", credentials());
        for (String jar : List.of("log4j-core-2.14.1.jar", "jackson-databind-2.9.8.jar", "commons-text-1.9.jar")) {
            entries(realJar(jar)).forEach(entries::putIfAbsent);
        }
        ScanResult result = scan(zip(entries), "app-1.0-all.jar");

        assertThat(result.unscannable()).isEmpty();
        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "app@1.0",
                        "org.apache.logging.log4j:log4j-core@2.14.1",
                        "com.fasterxml.jackson.core:jackson-databind@2.9.8",
                        "org.apache.commons:commons-text@1.9");
        assertThat(result.components())
                .filteredOn(c -> c.name().contains(":"))
                .allSatisfy(c -> assertThat(c.embeddedIn()).isEqualTo("app-1.0-all.jar"));
        assertThat(component(result, "app").unresolved()).startsWith("group unknown");
        assertAdvisoriesAsTheCorpusSays(result);
        assertThat(result.vulnerabilities())
                .extracting(v -> v.advisory().id())
                .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-599f-7c49-w659");
        assertThat(result.secrets()).extracting(s -> s.location()).contains("app-1.0-all.jar!/application.properties");
    }

    @Test
    void nestedThreeDeep() throws IOException {
        Map<String, byte[]> middle = new LinkedHashMap<>();
        middle.put("lib/log4j-core-2.14.1.jar", bytes(realJar("log4j-core-2.14.1.jar")));
        middle.put("lib/yaml.jar", zip(TruthSet.stripped("snakeyaml-1.30.jar")));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("BOOT-INF/lib/middle-1.1.jar", zip(middle));
        outer.put("BOOT-INF/lib/h2-1.4.200.jar", bytes(realJar("h2-1.4.200.jar")));
        ScanResult result = scan(zip(Map.of("lib/platform-2.0.jar", zip(outer))), "function.zip");

        assertThat(result.unscannable()).isEmpty();
        assertThat(coordinates(result))
                .containsExactlyInAnyOrder(
                        "platform@2.0",
                        "middle@1.1",
                        "com.h2database:h2@1.4.200",
                        "org.apache.logging.log4j:log4j-core@2.14.1",
                        "org.yaml:snakeyaml@1.30.0");
        Component log4j = component(result, "org.apache.logging.log4j:log4j-core");
        assertThat(log4j.location())
                .isEqualTo(
                        "function.zip!/lib/platform-2.0.jar!/BOOT-INF/lib/middle-1.1.jar!/lib/log4j-core-2.14.1.jar");
        assertThat(log4j.confidence()).isEqualTo(Confidence.EXACT);
        assertThat(advisories(result, log4j))
                .isEqualTo(new TreeSet<>(
                        TestPackages.expectedAdvisories("org.apache.logging.log4j:log4j-core", "2.14.1")));
        assertThat(advisories(result, component(result, "org.yaml:snakeyaml")))
                .isEqualTo(new TreeSet<>(TestPackages.expectedAdvisories("org.yaml:snakeyaml", "1.30")));
    }

    static byte[] pom(String groupId, String artifactId, String version) {
        return ("<project><modelVersion>4.0.0</modelVersion><groupId>" + groupId + "</groupId><artifactId>" + artifactId
                        + "</artifactId><version>" + version + "</version></project>")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<String> concat(java.util.Collection<String> values, String more) {
        List<String> all = new java.util.ArrayList<>(values);
        all.add(more);
        return all;
    }
}
