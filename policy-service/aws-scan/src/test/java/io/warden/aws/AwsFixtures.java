package io.warden.aws;

import io.warden.aws.fake.FakeAws;
import io.warden.aws.scan.ScanSettings;
import io.warden.scanner.TestPackages;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Packages, advisories and settings the AWS scan tests share. */
public final class AwsFixtures {
    public static final String HOME = "111111111111";
    public static final String REGION = "eu-west-1";
    /** A fixed day: the runtime deprecation findings depend on the date. */
    public static final Clock TODAY = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    public static final String KEY_ID = "AKIAZ7Q4XK2M6PLR3TWB";
    public static final String SECRET_KEY = "q8Fz3kLm9Pw2Xv7Rt5Yb1Nc6Hd4Gs0Ja8Ue3Wi7K";

    private AwsFixtures() {}

    /** The fake's endpoint, one region, fast retries. */
    public static ScanSettings settings(FakeAws aws) {
        return ScanSettings.of(List.of(REGION))
                .withEndpoint(aws.endpoint())
                .withConcurrency(4, 2)
                .withRetries(6, Duration.ofMillis(20))
                .withClock(TODAY);
    }

    /** A function zip with a handler class and log4j-core 2.14.1, the real jar, in lib/. */
    public static byte[] log4jFunction() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("example/Handler.class", "not really a class".getBytes(StandardCharsets.UTF_8));
        entries.put("lib/log4j-core-2.14.1.jar", TestPackages.bytes(TestPackages.realJar("log4j-core-2.14.1.jar")));
        return TestPackages.zip(entries);
    }

    /**
     * A function built by Maven: its own jar in lib/ carries its pom.properties, as a published library's does, the
     * handler's class and an access key pair in its configuration.
     */
    public static byte[] mavenBuiltFunction() {
        Map<String, byte[]> own = new LinkedHashMap<>();
        own.put(
                "META-INF/maven/com.example/orders/pom.properties",
                "groupId=com.example\nartifactId=orders\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
        own.put("example/Handler.class", "not really a class".getBytes(StandardCharsets.UTF_8));
        own.put(
                "application.properties",
                ("aws.accessKeyId=" + KEY_ID + "\naws.secretAccessKey=" + SECRET_KEY + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        return TestPackages.zip(Map.of("lib/orders-1.0.jar", TestPackages.zip(own)));
    }

    /** A function zip whose only dependency is jackson-databind 2.15.2 (no advisory in the fixtures). */
    public static byte[] plainFunction(String marker) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("example/" + marker + ".txt", marker.getBytes(StandardCharsets.UTF_8));
        entries.put(
                "lib/jackson-databind-2.15.2.jar",
                TestPackages.bytes(TestPackages.realJar("jackson-databind-2.15.2.jar")));
        return TestPackages.zip(entries);
    }

    /** A layer zip laid out as the Warden layer is. */
    public static byte[] wardenLayer(String version) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("warden-wrapper", ("#!/bin/sh\n# " + version + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put("warden/policy.json", "{}".getBytes(StandardCharsets.UTF_8));
        return TestPackages.zip(entries);
    }

    /** An advisory database in {@code dir} with the OSV records of {@code aws/osv/NAME} (test resources). */
    public static VulnerabilityStore advisories(Path dir, String name) throws IOException {
        VulnerabilityStore store = VulnerabilityStore.openForImport(dir);
        store.importOsv(resource("aws/osv/" + name));
        return store;
    }

    /**
     * The test resource directory or file {@code name} as a path: where it lies in this module's test classes, or
     * copied out of this module's test jar when another module's tests use it.
     */
    public static synchronized Path resource(String name) {
        try {
            URI uri = AwsFixtures.class.getClassLoader().getResource(name).toURI();
            if (uri.getScheme().equals("file")) {
                return Path.of(uri);
            }
            Path copy = Files.createTempDirectory("warden-aws-fixture");
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of());
                    Stream<Path> files = Files.walk(jar.getPath(name))) {
                Path root = jar.getPath(name);
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(root.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            return copy;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the test resource " + name, e);
        }
    }
}
