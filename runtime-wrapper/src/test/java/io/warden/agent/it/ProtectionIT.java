package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a security boundary: the built-in deny set, the function trying to switch Warden off, floods of
 * violations, many threads at once, and a JVM in the sandbox that is not the function's.
 */
class ProtectionIT extends WithLoopbackServers {

    private static AgentJvm.Result probe(AgentJvm jvm, Path root, String... operations) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Files.writeString(allowed.resolve("data.txt"), "allowed data");
        Files.writeString(denied.resolve("data.txt"), "denied data");
        AgentJvm.Result result = jvm.workingDirectory(root)
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.allowedDir=" + allowed)
                .option("-Dprobe.deniedDir=" + denied)
                .run(Probe.class.getName(), List.of(operations));
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }

    private static String policy(Path root) {
        return "{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort() + "\"]},"
                + "\"files\":{\"read\":[\"" + root + "/allowed/**\"],\"deny\":[\"" + root + "/denied/**\"]}}";
    }

    @Test
    void theMetadataAndCredentialEndpointsStayBlockedUnderAPolicyThatAllowsEverything(@TempDir Path root)
            throws Exception {
        String everything = "{\"version\":1,\"network\":{\"allow\":[\"0.0.0.0/0\",\"::/0\"]}}";
        AgentJvm.Result result = probe(
                new AgentJvm().env("WARDEN_POLICY", everything),
                root,
                "metadata-v4",
                "metadata-v4-mapped",
                "metadata-v4-decimal",
                "metadata-v6",
                "container-credentials");

        for (String operation : List.of(
                "metadata-v4", "metadata-v4-mapped", "metadata-v4-decimal", "metadata-v6", "container-credentials")) {
            assertThat(result.result(operation))
                    .as(operation)
                    .startsWith("FAILED")
                    .contains("Blocked by Warden");
        }
        assertThat(result.violations())
                .allSatisfy(line -> assertThat(line).containsAnyOf("\"rule\":\"builtin.deny", "\"category\":\"dns\""));
    }

    @Test
    void aPolicyThatNamesTheMetadataEndpointExplicitlyMayUseIt(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(
                new AgentJvm().env("WARDEN_POLICY", "{\"version\":1,\"network\":{\"allow\":[\"169.254.169.254:80\"]}}"),
                root,
                "metadata-v4",
                "container-credentials");

        assertThat(result.result("metadata-v4")).isEqualTo("OK connected");
        assertThat(result.result("container-credentials")).contains("Blocked by Warden");
    }

    @Test
    void theFunctionCannotSwitchWardenOff(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(
                new AgentJvm().env("WARDEN_POLICY", policy(root)),
                root,
                "tamper",
                "socket-denied",
                "files-read-denied");

        assertThat(result.result("tamper"))
                .contains(
                        "gate-field=refused(InaccessibleObjectException)",
                        "gate-lookup=refused(IllegalAccessException)",
                        "java-lang-lookup=refused(IllegalAccessException)",
                        "serial-filter-factory=refused(IllegalStateException)",
                        "gate-connect=done",
                        "agent-class=refused(ClassNotFoundException)");
        assertThat(result.result("socket-denied")).contains("Blocked by Warden");
        assertThat(result.result("files-read-denied")).contains("Blocked by Warden");
    }

    @Test
    void aLoopOfViolationsIsAggregatedIntoAFewLinesWithACount(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(new AgentJvm().env("WARDEN_POLICY", policy(root)), root, "loop-denied");

        assertThat(result.result("loop-denied")).isEqualTo("OK 1000 of 1000 failed");
        List<String> lines = result.violations();
        assertThat(lines.size()).as(result.toString()).isBetween(2, 20);
        int total = 0;
        for (String line : lines) {
            total += Integer.parseInt(line.replaceAll(".*\"count\":(\\d+).*", "$1"));
        }
        assertThat(total).isEqualTo(1000);
    }

    @Test
    void manyThreadsAtOnceGetEveryAnswerRight(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(new AgentJvm().env("WARDEN_POLICY", policy(root)), root, "many-threads");

        int operations = 32 * 100;
        assertThat(result.result("many-threads"))
                .isEqualTo("OK allowed " + operations + " denied-files " + operations + " denied-connects " + operations
                        + " of " + operations);
    }

    @Test
    void theProgramKeepsItsOwnLibrariesAndTheAgentJarLeaksNoneOfItsDependencies(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(new AgentJvm().env("WARDEN_POLICY", policy(root)), root, "own-libraries");

        assertThat(result.result("own-libraries")).matches("OK byte-buddy-[0-9.]+\\.jar");
        try (JarFile jar = new JarFile(AgentJvm.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/warden/gate/WardenGate")) {
                    assertThat(name).startsWith("io/warden/");
                }
            }
        }
        assertThat(Files.size(AgentJvm.AGENT_JAR)).as("agent jar size").isLessThan(5L * 1024 * 1024);
    }

    @Test
    void anotherJvmInTheLambdaSandboxIsLeftAloneUnlessConfigured(@TempDir Path root) throws Exception {
        AgentJvm.Result other = probe(
                new AgentJvm().env("WARDEN_POLICY", policy(root)).env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"),
                root,
                "socket-denied");
        assertThat(other.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(other.stdout).doesNotContain("\"warden\":");

        AgentJvm.Result configured = probe(
                new AgentJvm()
                        .env("WARDEN_POLICY", policy(root))
                        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
                        .env("WARDEN_ENFORCE_ALL_JVMS", "true"),
                root,
                "socket-denied");
        assertThat(configured.result("socket-denied")).contains("Blocked by Warden");
    }
}
