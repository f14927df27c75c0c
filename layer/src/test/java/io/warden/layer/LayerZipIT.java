package io.warden.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the built layer zip: its layout, its file modes, and what its exec wrapper does to a command. */
class LayerZipIT {

    private static final Path LAYER_ZIP = Paths.get(System.getProperty("warden.layer.zip"));
    private static final String AGENT = "warden/warden-agent.jar";
    /** What the wrapper adds after the agent when it cannot tell the JDK (the command is no java). */
    private static final String AGENTS_OUT = " -XX:+DisableAttachMechanism";

    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path temp;

    @Test
    void zipHoldsTheWrapperTheAgentAndTheDefaultPolicyWithLambdaModes() throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (FileSystem zip = openZip()) {
            try (Stream<Path> entries = Files.walk(zip.getPath("/"))) {
                for (Path entry : (Iterable<Path>) entries.filter(Files::isRegularFile)::iterator) {
                    PosixFileAttributes attributes = Files.readAttributes(entry, PosixFileAttributes.class);
                    modes.put(entry.toString().substring(1), PosixFilePermissions.toString(attributes.permissions()));
                }
            }
        }
        assertThat(modes)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "warden-wrapper",
                        "rwxr-xr-x",
                        "warden/policy.json",
                        "rw-r--r--",
                        AGENT,
                        "rw-r--r--",
                        "warden/LICENSE",
                        "rw-r--r--",
                        "warden/NOTICE",
                        "rw-r--r--",
                        "warden/THIRD-PARTY.txt",
                        "rw-r--r--"));
    }

    @Test
    void layerAndAgentJarCarryWardensLicenceAndKeepByteBuddysNotice() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        String license = Files.readString(Paths.get(System.getProperty("warden.license")));
        String notice = Files.readString(layer.resolve("warden/NOTICE"));
        String thirdParty = Files.readString(layer.resolve("warden/THIRD-PARTY.txt"));

        assertThat(Files.readString(layer.resolve("warden/LICENSE"))).isEqualTo(license);
        assertThat(notice).contains("Warden\nCopyright 2026 the Warden authors\n");
        // Byte Buddy, shaded into the agent, is Apache-2.0 with a NOTICE that its licence requires to be kept.
        Path byteBuddy = Paths.get(ByteBuddy.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (FileSystem jar = FileSystems.newFileSystem(byteBuddy)) {
            assertThat(notice)
                    .contains(Files.readString(jar.getPath("META-INF/NOTICE")).strip());
        }
        assertThat(thirdParty).contains("(net.bytebuddy:byte-buddy:").doesNotContain("io.warden:");
        try (FileSystem agent = FileSystems.newFileSystem(layer.resolve(AGENT))) {
            assertThat(Files.readString(agent.getPath("META-INF/LICENSE"))).isEqualTo(license);
            assertThat(Files.readString(agent.getPath("META-INF/NOTICE"))).isEqualTo(notice);
            assertThat(Files.readString(agent.getPath("META-INF/THIRD-PARTY.txt")))
                    .isEqualTo(thirdParty);
        }
    }

    @Test
    void wrapperAddsTheAgentBesideItselfWhenNothingWasConfigured() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        Result result = runWrapper(layer.resolve("warden-wrapper"), null, "env");
        assertThat(result.exitCode).isZero();
        assertThat(result.env("JAVA_TOOL_OPTIONS"))
                .isEqualTo("-javaagent:" + layer.resolve(AGENT).toRealPath() + AGENTS_OUT);
    }

    @Test
    void wrapperKeepsTheFunctionsOwnOptionsAfterTheAgent() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        Result result = runWrapper(layer.resolve("warden-wrapper"), "-Xmx64m -Dgreeting=\"hello world\"", "env");
        assertThat(result.env("JAVA_TOOL_OPTIONS"))
                .isEqualTo("-javaagent:" + layer.resolve(AGENT).toRealPath() + AGENTS_OUT
                        + " -Xmx64m -Dgreeting=\"hello world\"");
    }

    @Test
    void wrapperAddsTheAgentOnlyOnce() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        String alreadyAttached = "-Xss1m -javaagent:/opt/warden/warden-agent.jar";
        Result once = runWrapper(layer.resolve("warden-wrapper"), alreadyAttached, "env");
        assertThat(once.env("JAVA_TOOL_OPTIONS")).isEqualTo(alreadyAttached);

        // The wrapper run through itself (a nested exec) still attaches the agent a single time.
        Result nested = runWrapper(
                layer.resolve("warden-wrapper"),
                null,
                layer.resolve("warden-wrapper").toString(),
                "env");
        assertThat(nested.env("JAVA_TOOL_OPTIONS"))
                .isEqualTo("-javaagent:" + layer.resolve(AGENT).toRealPath() + AGENTS_OUT);
    }

    @Test
    void wrapperRunsTheCommandWithItsArgumentsUnchangedAndReturnsItsExitCode() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        Result result = runWrapper(
                layer.resolve("warden-wrapper"),
                null,
                "sh",
                "-c",
                "printf '[%s]\\n' \"$@\"; exit 7",
                "sh",
                "two words",
                "",
                "it's",
                "$HOME",
                "*");
        assertThat(result.exitCode).isEqualTo(7);
        assertThat(result.lines).containsExactly("[two words]", "[]", "[it's]", "[$HOME]", "[*]");
    }

    @Test
    void wrapperFindsItsAgentFromADirectoryWithSpacesAndThroughASymlink() throws Exception {
        Path layer = unpack(temp.resolve("my layers/opt"));
        Result direct = runWrapper(layer.resolve("warden-wrapper"), null, "env");
        assertThat(direct.env("JAVA_TOOL_OPTIONS"))
                .isEqualTo("\"-javaagent:" + layer.resolve(AGENT).toRealPath() + "\"" + AGENTS_OUT);

        Path link = Files.createSymbolicLink(temp.resolve("wrapper-link"), layer.resolve("warden-wrapper"));
        Result viaLink = runWrapper(link, null, "env");
        assertThat(viaLink.env("JAVA_TOOL_OPTIONS")).isEqualTo(direct.env("JAVA_TOOL_OPTIONS"));
    }

    /**
     * The JVM's own ways to load agents are off in a JVM started through the wrapper: attach on every JDK, dynamic
     * agent loading from JDK 21, whose option older JDKs do not accept. The JVM starts, with the agent, on 17 and 25.
     */
    @Test
    void wrapperTurnsOffAttachOnEveryJdkAndDynamicAgentLoadingFromJdk21() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        Path jdk17 = Path.of(System.getProperty("java.home"));
        assertThat(Runtime.version().feature()).isEqualTo(17);
        Map<String, String> flags17 = flags(layer, jdk17);
        assertThat(flags17).containsEntry("DisableAttachMechanism", "true");
        assertThat(flags17.get("EnableDynamicAgentLoading")).isNotEqualTo("false");

        if (!Files.isExecutable(JDK25.resolve("bin/java"))) {
            assertThat(System.getenv("CI"))
                    .as("JDK 25 must be installed at " + JDK25 + " in CI")
                    .isNotEqualTo("true");
            return;
        }
        Map<String, String> flags25 = flags(layer, JDK25);
        assertThat(flags25)
                .containsEntry("DisableAttachMechanism", "true")
                .containsEntry("EnableDynamicAgentLoading", "false");
    }

    /** The final values of the JVM's boolean flags when that JDK's java runs through the wrapper. */
    private static Map<String, String> flags(Path layer, Path jdk) throws Exception {
        Result result = runWrapper(
                layer.resolve("warden-wrapper"),
                null,
                jdk.resolve("bin/java").toString(),
                "-XX:+PrintFlagsFinal",
                "-version");
        assertThat(result.exitCode).as(String.join("\n", result.lines)).isZero();
        Map<String, String> flags = new TreeMap<>();
        for (String line : result.lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 4 && words[0].equals("bool") && words[2].equals("=")) {
                flags.put(words[1], words[3]);
            }
        }
        return flags;
    }

    @Test
    void wrapperTellsEmbeddedMetricsItRunsOnLambdaUnlessTheFunctionSaidOtherwise() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        assertThat(runWrapper(layer.resolve("warden-wrapper"), null, "env").env("AWS_EMF_ENVIRONMENT"))
                .isEqualTo("Lambda");
        Result own = runWrapper(layer.resolve("warden-wrapper"), null, Map.of("AWS_EMF_ENVIRONMENT", "Local"), "env");
        assertThat(own.env("AWS_EMF_ENVIRONMENT")).isEqualTo("Local");
    }

    @Test
    void wrapperWithoutACommandFailsWithUsage() throws Exception {
        Path layer = unpack(temp.resolve("opt"));
        Result result = runWrapper(layer.resolve("warden-wrapper"), null);
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.lines)
                .containsExactly(
                        "warden-wrapper: no command to run; Lambda passes the runtime's command line as arguments");
    }

    private FileSystem openZip() throws IOException {
        return FileSystems.newFileSystem(
                URI.create("jar:" + LAYER_ZIP.toUri()), Map.of("enablePosixFileAttributes", "true"));
    }

    /** Unpacks the layer keeping each entry's mode, as Lambda does at /opt. */
    private Path unpack(Path target) throws IOException {
        try (FileSystem zip = openZip();
                Stream<Path> entries = Files.walk(zip.getPath("/"))) {
            for (Path entry : (Iterable<Path>) entries.filter(Files::isRegularFile)::iterator) {
                Path file = target.resolve(entry.toString().substring(1));
                Files.createDirectories(file.getParent());
                Files.copy(entry, file);
                Set<PosixFilePermission> mode =
                        Files.readAttributes(entry, PosixFileAttributes.class).permissions();
                Files.setPosixFilePermissions(file, mode);
            }
        }
        return target;
    }

    private static Result runWrapper(Path wrapper, String javaToolOptions, String... command) throws Exception {
        return runWrapper(wrapper, javaToolOptions, Map.of(), command);
    }

    private static Result runWrapper(Path wrapper, String javaToolOptions, Map<String, String> env, String... command)
            throws Exception {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(wrapper.toString());
        commandLine.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("AWS_EMF_ENVIRONMENT");
        builder.environment().putAll(env);
        if (javaToolOptions != null) {
            builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.lines().toList());
    }

    private record Result(int exitCode, List<String> lines) {
        String env(String name) {
            return lines.stream()
                    .filter(line -> line.startsWith(name + "="))
                    .map(line -> line.substring(name.length() + 1))
                    .reduce((first, second) -> {
                        throw new AssertionError(name + " is set twice: " + lines);
                    })
                    .orElse(null);
        }
    }
}
