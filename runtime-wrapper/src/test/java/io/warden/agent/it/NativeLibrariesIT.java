package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.LibraryLoading;
import io.warden.probe.NativeProbe;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native libraries and the processes libraries start, as real libraries do it, under the built agent in a forked JVM:
 * sqlite-jdbc's JNI library, extracted from its jar to the writable place, loads; a library that no jar ships, or the
 * shipped one changed, dropped in the same place, does not; a library found in the jar of the class that loads it, below
 * the task root, loads even where the index of shipped libraries does not look, and one in a jar outside the function's
 * code does not; ldd runs only as the policy's argument patterns say
 * (sqlite-jdbc runs {@code uname -o} to tell Android from Linux, which the policy allows as the default one does).
 */
class NativeLibrariesIT {

    static final List<String> OPERATIONS = List.of(
            "sqlite",
            "shipped-copy",
            "changed-library",
            "dropped-library",
            "task-root-library",
            "missing-library",
            "callers-jar-library",
            "writable-jar-library",
            "ldd-version",
            "ldd-java",
            "ldd-other",
            "ldd-own-environment");

    /** Real libraries that load without Warden (they have no JNI_OnLoad to mind): one no jar ships, one in the task root. */
    static final Path SYSTEM_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");

    static final Path TASK_ROOT_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6");

    @Test
    void librariesExtractedFromTheFunctionsJarsLoadAndNothingElseFromAWritablePlaceDoes(@TempDir Path root)
            throws Exception {
        AgentJvm.Result without = run(Files.createDirectories(root.resolve("without")), false);
        AgentJvm.Result with = run(Files.createDirectories(root.resolve("with")), true);

        for (String operation : List.of(
                "sqlite",
                "shipped-copy",
                "changed-library",
                "dropped-library",
                "task-root-library",
                "callers-jar-library",
                "writable-jar-library",
                "ldd-version",
                "ldd-java",
                "ldd-other",
                "ldd-own-environment")) {
            assertThat(without.result(operation))
                    .as("without Warden: " + operation)
                    .startsWith("OK");
        }
        assertThat(with.result("sqlite"))
                .as(with.toString())
                .isEqualTo(without.result("sqlite"))
                .startsWith("OK sqlite 3.");
        assertThat(with.result("shipped-copy")).isEqualTo("OK loaded");
        assertThat(with.result("task-root-library")).isEqualTo("OK loaded");
        assertThat(with.result("callers-jar-library")).isEqualTo("OK loaded");
        assertThat(with.result("ldd-version")).isEqualTo("OK exit 0");
        assertThat(with.result("ldd-java")).isEqualTo("OK exit 0");
        for (String blocked : List.of(
                "changed-library", "dropped-library", "writable-jar-library", "ldd-other", "ldd-own-environment")) {
            assertThat(with.result(blocked)).as(blocked).startsWith("FAILED").contains("Blocked by Warden");
        }
        // A name that resolves to no file fails in the JDK, exactly as without Warden, and is no violation.
        assertThat(with.result("missing-library"))
                .startsWith("FAILED java.lang.UnsatisfiedLinkError")
                .isEqualTo(without.result("missing-library"));

        List<String> violations = with.violations();
        assertThat(violations).as(with.toString()).hasSize(5);
        assertThat(violations)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"native\"", "libchanged-sqlite.so", "\"action\":\"blocked\""));
        assertThat(violations)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"native\"", "libdropped.so", "\"action\":\"blocked\""));
        assertThat(violations)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"native\"", "libwritable-jar.so", "\"action\":\"blocked\""));
        assertThat(violations)
                .filteredOn(line -> line.contains("\"category\":\"process\""))
                .hasSize(2);
        assertThat(with.lines()).noneSatisfy(line -> assertThat(line).contains("\"warden\":\"error\""));
        // Warden's copies are gone once loaded.
        try (var left = Files.list(Path.of("/tmp"))) {
            assertThat(left.filter(path -> path.getFileName().toString().startsWith(".warden-native-"))
                            .flatMap(NativeLibrariesIT::children))
                    .isEmpty();
        }
    }

    private static java.util.stream.Stream<Path> children(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.toList().stream();
        } catch (java.io.IOException gone) {
            return java.util.stream.Stream.empty();
        }
    }

    /** A jar with the system library as native/libsystem.so and the class that loads it, as a JNI library's jar is. */
    private static Path libraryJar(Path jar) throws Exception {
        String loading = LibraryLoading.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                InputStream loadingClass = LibraryLoading.class.getResourceAsStream("/" + loading)) {
            out.putNextEntry(new JarEntry(loading));
            loadingClass.transferTo(out);
            out.putNextEntry(new JarEntry("native/libsystem.so"));
            Files.copy(SYSTEM_LIBRARY, out);
        }
        return jar;
    }

    private static AgentJvm.Result run(Path root, boolean withAgent) throws Exception {
        Path writable = Files.createDirectories(root.resolve("tmp"));
        Path taskRoot = Files.createDirectories(root.resolve("task/lib"));
        Files.copy(TASK_ROOT_LIBRARY, taskRoot.resolve("libshipped.so"));
        // Deeper below the task root than the index of shipped libraries walks: found only as the loading class's jar.
        Path deep = taskRoot;
        for (int level = 0; level < 17; level++) {
            deep = deep.resolve("d" + level);
        }
        Path callersJar = libraryJar(Files.createDirectories(deep).resolve("callers.jar"));
        Path writableJar = libraryJar(writable.resolve("writable.jar"));
        AgentJvm jvm = withAgent ? new AgentJvm().env("WARDEN_POLICY", """
                {"version": 1, "mode": "block",
                 "files": {"mode": "off"},
                 "processes": {"allow": [{"program": "ldd", "args": ["--version"]},
                                         {"program": "ldd", "args": ["${java.home}/bin/java"]},
                                         {"program": "uname", "args": ["-o"]}]},
                 "native": {"allowShipped": true}}
                """) : new AgentJvm().withoutAgent();
        AgentJvm.Result result = jvm.workingDirectory(root)
                .env("LAMBDA_TASK_ROOT", root.resolve("task").toString())
                .option("-Djava.io.tmpdir=" + writable)
                .option("-Dprobe.systemLibrary=" + SYSTEM_LIBRARY)
                .option("-Dprobe.callersJar=" + callersJar)
                .option("-Dprobe.writableJar=" + writableJar)
                .run(NativeProbe.class.getName(), OPERATIONS);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }
}
