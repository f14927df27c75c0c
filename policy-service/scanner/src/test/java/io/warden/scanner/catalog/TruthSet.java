package io.warden.scanner.catalog;

import static io.warden.scanner.TestPackages.bytes;
import static io.warden.scanner.TestPackages.entries;
import static io.warden.scanner.TestPackages.realJar;
import static io.warden.scanner.TestPackages.zip;

import io.warden.scanner.TestPackages;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.shade.DefaultShader;
import org.apache.maven.plugins.shade.ShadeRequest;
import org.apache.maven.plugins.shade.filter.SimpleFilter;
import org.apache.maven.plugins.shade.relocation.Relocator;
import org.apache.maven.plugins.shade.relocation.SimpleRelocator;

/**
 * Packages in every shape functions ship, built from real Maven Central jars, each with what is truly in it: every
 * copy of a library the advisory corpus covers and the function's own jars, as {@code name@version}. Libraries the
 * corpus does not cover (netty's other modules inside grpc-netty-shaded, for one) are not part of the truth.
 */
final class TruthSet {
    private TruthSet() {}

    /** One package: its file name, its bytes, and what is in it. */
    record Case(String shape, String fileName, byte[] bytes, List<String> truth) {}

    static final Map<String, String> JARS = Map.ofEntries(
            Map.entry("log4j-core-2.14.1.jar", "org.apache.logging.log4j:log4j-core@2.14.1"),
            Map.entry("log4j-core-2.17.1.jar", "org.apache.logging.log4j:log4j-core@2.17.1"),
            Map.entry("jackson-databind-2.9.8.jar", "com.fasterxml.jackson.core:jackson-databind@2.9.8"),
            Map.entry("jackson-databind-2.15.2.jar", "com.fasterxml.jackson.core:jackson-databind@2.15.2"),
            Map.entry("spring-beans-5.3.17.jar", "org.springframework:spring-beans@5.3.17"),
            Map.entry("spring-beans-5.3.18.jar", "org.springframework:spring-beans@5.3.18"),
            Map.entry("commons-text-1.9.jar", "org.apache.commons:commons-text@1.9"),
            Map.entry("commons-text-1.10.0.jar", "org.apache.commons:commons-text@1.10.0"),
            Map.entry("snakeyaml-1.30.jar", "org.yaml:snakeyaml@1.30"),
            Map.entry("snakeyaml-2.2.jar", "org.yaml:snakeyaml@2.2"),
            Map.entry("guava-31.1-jre.jar", "com.google.guava:guava@31.1-jre"),
            Map.entry("guava-32.1.2-jre.jar", "com.google.guava:guava@32.1.2-jre"),
            Map.entry("netty-codec-http-4.1.70.Final.jar", "io.netty:netty-codec-http@4.1.70.Final"),
            Map.entry("h2-1.4.200.jar", "com.h2database:h2@1.4.200"));

    static List<Case> all() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> jars = JARS.keySet().stream().sorted().toList();

        Map<String, byte[]> lambdaZip = new LinkedHashMap<>();
        lambdaZip.put("com/example/Handler.class", classBytes());
        jars.forEach(j -> lambdaZip.put("lib/" + j, bytes(realJar(j))));
        cases.add(new Case("Lambda zip, jars in lib/", "function.zip", zip(lambdaZip), List.copyOf(JARS.values())));

        Map<String, byte[]> layer = new LinkedHashMap<>();
        jars.forEach(j -> layer.put("java/lib/" + j, bytes(realJar(j))));
        cases.add(new Case("layer zip, jars in java/lib/", "layer.zip", zip(layer), List.copyOf(JARS.values())));

        Map<String, byte[]> boot = new LinkedHashMap<>();
        boot.put(
                "META-INF/MANIFEST.MF",
                manifest("Main-Class: org.springframework.boot.loader.JarLauncher", "Start-Class: com.example.App"));
        boot.put("META-INF/maven/com.example/app/pom.properties", pomProperties("com.example", "app", "1.0.0"));
        boot.put("BOOT-INF/classes/com/example/App.class", classBytes());
        jars.forEach(j -> boot.put("BOOT-INF/lib/" + j, bytes(realJar(j))));
        cases.add(new Case(
                "Spring Boot fat jar", "app-1.0.0.jar", zip(boot), with(JARS.values(), "com.example:app@1.0.0")));

        Map<String, byte[]> war = new LinkedHashMap<>();
        war.put("WEB-INF/web.xml", "<web-app/>".getBytes(StandardCharsets.UTF_8));
        jars.forEach(j -> war.put("WEB-INF/lib/" + j, bytes(realJar(j))));
        cases.add(new Case("war, jars in WEB-INF/lib/", "shop.war", zip(war), List.copyOf(JARS.values())));

        Map<String, byte[]> uber = new LinkedHashMap<>();
        uber.put("META-INF/maven/com.example/function/pom.properties", pomProperties("com.example", "function", "1.0"));
        for (String j : List.of("log4j-core-2.14.1.jar", "jackson-databind-2.9.8.jar", "snakeyaml-2.2.jar")) {
            entries(realJar(j)).forEach(uber::putIfAbsent);
        }
        cases.add(new Case(
                "uber jar, libraries merged with their metadata",
                "function-1.0.jar",
                zip(uber),
                List.of(
                        "com.example:function@1.0",
                        JARS.get("log4j-core-2.14.1.jar"),
                        JARS.get("jackson-databind-2.9.8.jar"),
                        JARS.get("snakeyaml-2.2.jar"))));

        Map<String, byte[]> gradle = new LinkedHashMap<>();
        gradle.put("META-INF/MANIFEST.MF", manifest("Main-Class: com.example.App"));
        gradle.put("com/example/App.class", classBytes());
        for (String j : List.of("log4j-core-2.17.1.jar", "commons-text-1.9.jar", "guava-31.1-jre.jar")) {
            entries(realJar(j)).forEach(gradle::putIfAbsent);
        }
        cases.add(new Case(
                "Gradle fat jar without its own metadata",
                "app-1.0-all.jar",
                zip(gradle),
                List.of(
                        "app@1.0",
                        JARS.get("log4j-core-2.17.1.jar"),
                        JARS.get("commons-text-1.9.jar"),
                        JARS.get("guava-31.1-jre.jar"))));

        Map<String, byte[]> own = new LinkedHashMap<>();
        own.put("com/example/orders/Handler.class", classBytes());
        own.put("lib/log4j-core-2.14.1.jar", bytes(realJar("log4j-core-2.14.1.jar")));
        Map<String, byte[]> noMetadata = new LinkedHashMap<>();
        noMetadata.put("lib/h2-1.4.200.jar", bytes(realJar("h2-1.4.200.jar")));
        noMetadata.put("lib/orders-service-1.0.jar", zip(own));
        cases.add(new Case(
                "jars without Maven metadata, named name-version.jar",
                "function.zip",
                zip(noMetadata),
                List.of("com.h2database:h2@1.4.200", "orders-service@1.0", JARS.get("log4j-core-2.14.1.jar"))));

        Map<String, byte[]> stripped = new LinkedHashMap<>();
        stripped.put("lib/yaml.jar", zip(stripped("snakeyaml-1.30.jar")));
        stripped.put("lib/google-core-libs.jar", zip(stripped("guava-31.1-jre.jar")));
        stripped.put("lib/text.jar", zip(stripped("commons-text-1.9.jar")));
        stripped.put("lib/beans.jar", bytes(realJar("spring-beans-5.3.17.jar")));
        stripped.put("lib/x-9.9.jar", zip(stripped("log4j-core-2.14.1.jar")));
        stripped.put("lib/databind.jar", zip(stripped("jackson-databind-2.15.2.jar")));
        cases.add(new Case(
                "metadata stripped and files renamed (OSGi and manifest names only)",
                "function.zip",
                zip(stripped),
                List.of(
                        JARS.get("snakeyaml-1.30.jar"),
                        JARS.get("guava-31.1-jre.jar"),
                        JARS.get("commons-text-1.9.jar"),
                        JARS.get("spring-beans-5.3.17.jar"),
                        JARS.get("log4j-core-2.14.1.jar"),
                        JARS.get("jackson-databind-2.15.2.jar"))));

        // guava has no class in the fingerprint table: its relocated copy is the known gap of this set.
        List<String> relocatedJars = List.of(
                "commons-text-1.9.jar",
                "guava-31.1-jre.jar",
                "h2-1.4.200.jar",
                "jackson-databind-2.9.8.jar",
                "log4j-core-2.14.1.jar",
                "netty-codec-http-4.1.70.Final.jar",
                "snakeyaml-1.30.jar",
                "spring-beans-5.3.17.jar");
        byte[] vendor = shade(relocatedJars.stream().map(TestPackages::realJar).toList(), RELOCATIONS);
        cases.add(new Case(
                "relocated by maven-shade, metadata left out",
                "function.zip",
                zip(Map.of("lib/vendor-sdk-3.2.jar", vendor)),
                with(relocatedJars.stream().map(JARS::get).toList(), "vendor-sdk@3.2")));

        Map<String, byte[]> middle = new LinkedHashMap<>();
        middle.put("lib/log4j-core-2.14.1.jar", bytes(realJar("log4j-core-2.14.1.jar")));
        middle.put("lib/yaml.jar", zip(stripped("snakeyaml-1.30.jar")));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("BOOT-INF/lib/middle-1.1.jar", zip(middle));
        outer.put("BOOT-INF/lib/h2-1.4.200.jar", bytes(realJar("h2-1.4.200.jar")));
        cases.add(new Case(
                "nested three deep",
                "function.zip",
                zip(Map.of("lib/platform-2.0.jar", zip(outer))),
                List.of(
                        "platform@2.0",
                        "middle@1.1",
                        "com.h2database:h2@1.4.200",
                        JARS.get("log4j-core-2.14.1.jar"),
                        JARS.get("snakeyaml-1.30.jar"))));

        // A shaded jar as published on Maven Central: netty 4.1.72.Final relocated under io.grpc.netty.shaded
        // (its META-INF/io.netty.versions.properties says 4.1.72.Final), no Maven metadata of its own.
        cases.add(new Case(
                "grpc-netty-shaded 1.44.1 from Maven Central",
                "function.zip",
                zip(Map.of("lib/grpc-netty-shaded-1.44.1.jar", bytes(realJar("grpc-netty-shaded-1.44.1.jar")))),
                List.of("io.grpc:grpc-netty-shaded@1.44.1", "io.netty:netty-codec-http@4.1.72.Final")));
        return cases;
    }

    static final Map<String, String> RELOCATIONS = Map.of(
            "org.apache",
            "com.vendor.shaded.org.apache",
            "com.fasterxml.jackson",
            "com.vendor.shaded.jackson",
            "org.yaml.snakeyaml",
            "com.vendor.yaml",
            "org.springframework",
            "com.vendor.shaded.springframework",
            "io.netty",
            "com.vendor.shaded.io.netty",
            "org.h2",
            "com.vendor.shaded.h2",
            "com.google.common",
            "com.vendor.shaded.guava");

    /**
     * An uber jar built by maven-shade (the plugin's own shader) from real jars, with each {@code from → to} package
     * relocation applied and each jar's {@code META-INF/maven/**} and manifest left out, as a vendor shading libraries
     * into its own jar commonly does.
     */
    static byte[] shade(List<Path> jars, Map<String, String> relocations) throws IOException {
        Path out = Files.createTempFile("shaded", ".jar");
        try {
            ShadeRequest request = new ShadeRequest();
            Set<File> files =
                    new LinkedHashSet<>(jars.stream().map(Path::toFile).toList());
            request.setJars(files);
            request.setUberJar(out.toFile());
            request.setFilters(List.of(new SimpleFilter(
                    files,
                    Set.of(),
                    Set.of("META-INF/maven/**", "META-INF/MANIFEST.MF", "META-INF/*.SF", "META-INF/*.RSA"))));
            request.setRelocators(relocations.entrySet().stream()
                    .map(r -> (Relocator) new SimpleRelocator(r.getKey(), r.getValue(), null, null))
                    .toList());
            request.setResourceTransformers(List.of());
            new DefaultShader().shade(request);
            return Files.readAllBytes(out);
        } catch (MojoExecutionException e) {
            throw new IOException("maven-shade could not build the jar", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Map<String, byte[]> stripped(String jar) {
        Map<String, byte[]> entries = entries(realJar(jar));
        entries.keySet().removeIf(name -> name.startsWith("META-INF/maven/"));
        return entries;
    }

    private static byte[] classBytes() {
        return new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};
    }

    private static byte[] manifest(String... headers) {
        return ("Manifest-Version: 1.0\r\n" + String.join("\r\n", headers) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] pomProperties(String groupId, String artifactId, String version) {
        return ("groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=" + version + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> with(Collection<String> values, String more) {
        List<String> all = new ArrayList<>(values);
        all.add(more);
        return all;
    }
}
