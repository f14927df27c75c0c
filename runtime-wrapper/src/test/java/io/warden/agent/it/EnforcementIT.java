package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API path to the network, DNS, files, processes, native code, JNDI and deserialization, run through the built
 * agent in a forked JVM: blocked in block mode, let through and reported in alert mode, untouched in off mode.
 */
class EnforcementIT extends WithLoopbackServers {

    /** How a denied operation fails when blocked: the way its API reports failure. */
    enum Blocked {
        THROWS,
        RETURNS_FALSE,
        RETURNS_NULL,
        REJECTED,
        UNRESOLVED
    }

    record Case(String operation, String category, Blocked blocked) {}

    static final List<Case> DENIED = List.of(
            new Case("socket-denied", "network", Blocked.THROWS),
            new Case("socket-connect-denied", "network", Blocked.THROWS),
            new Case("socket-channel-denied", "network", Blocked.THROWS),
            new Case("socket-channel-nonblocking-denied", "network", Blocked.THROWS),
            new Case("async-socket-denied", "network", Blocked.THROWS),
            new Case("url-denied", "network", Blocked.THROWS),
            new Case("http-client-denied", "network", Blocked.THROWS),
            new Case("other-thread-denied", "network", Blocked.THROWS),
            new Case("virtual-thread-denied", "network", Blocked.THROWS),
            new Case("reflection-denied", "network", Blocked.THROWS),
            new Case("udp-send-denied", "network", Blocked.THROWS),
            new Case("udp-connect-denied", "network", Blocked.THROWS),
            new Case("datagram-channel-send-denied", "network", Blocked.THROWS),
            new Case("datagram-channel-connect-denied", "network", Blocked.THROWS),
            new Case("dns-denied", "dns", Blocked.THROWS),
            new Case("dns-all-denied", "dns", Blocked.THROWS),
            new Case("dns-denied-again", "dns", Blocked.THROWS),
            new Case("dns-socket-address-denied", "dns", Blocked.UNRESOLVED),
            new Case("file-input-denied", "file", Blocked.THROWS),
            new Case("file-reader-denied", "file", Blocked.THROWS),
            new Case("file-output-denied", "file", Blocked.THROWS),
            new Case("file-output-append-denied", "file", Blocked.THROWS),
            new Case("file-writer-denied", "file", Blocked.THROWS),
            new Case("random-access-read-denied", "file", Blocked.THROWS),
            new Case("random-access-write-denied", "file", Blocked.THROWS),
            new Case("file-delete-denied", "file", Blocked.RETURNS_FALSE),
            new Case("file-mkdir-denied", "file", Blocked.RETURNS_FALSE),
            new Case("file-rename-denied", "file", Blocked.RETURNS_FALSE),
            new Case("file-list-denied", "file", Blocked.RETURNS_NULL),
            new Case("file-create-denied", "file", Blocked.THROWS),
            new Case("dot-dot-denied", "file", Blocked.THROWS),
            new Case("relative-denied", "file", Blocked.THROWS),
            new Case("files-read-denied", "file", Blocked.THROWS),
            new Case("files-input-stream-denied", "file", Blocked.THROWS),
            new Case("files-lines-denied", "file", Blocked.THROWS),
            new Case("files-write-denied", "file", Blocked.THROWS),
            new Case("files-writer-denied", "file", Blocked.THROWS),
            new Case("file-channel-read-denied", "file", Blocked.THROWS),
            new Case("file-channel-write-denied", "file", Blocked.THROWS),
            new Case("async-file-channel-denied", "file", Blocked.THROWS),
            new Case("files-delete-denied", "file", Blocked.THROWS),
            new Case("files-create-directory-denied", "file", Blocked.THROWS),
            new Case("files-move-denied", "file", Blocked.THROWS),
            new Case("files-copy-denied", "file", Blocked.THROWS),
            new Case("files-list-denied", "file", Blocked.THROWS),
            new Case("directory-stream-denied", "file", Blocked.THROWS),
            new Case("files-symlink-denied", "file", Blocked.THROWS),
            new Case("process-builder", "process", Blocked.THROWS),
            new Case("runtime-exec", "process", Blocked.THROWS),
            new Case("native-load", "native", Blocked.THROWS),
            new Case("native-load-library", "native", Blocked.THROWS),
            new Case("jndi-ldap", "jndi", Blocked.THROWS),
            new Case("jndi-rmi", "jndi", Blocked.THROWS),
            new Case("jndi-provider-url", "jndi", Blocked.THROWS),
            new Case("deserialize-gadget", "deserialization", Blocked.REJECTED));

    static final List<String> ALLOWED = List.of(
            "socket-allowed",
            "url-allowed",
            "http-client-allowed",
            "http-client-by-name-allowed",
            "dns-allowed",
            "local-host",
            "file-input-allowed",
            "file-output-allowed",
            "files-read-allowed",
            "files-write-allowed",
            "deserialize-plain",
            "tls-default-context",
            "jul-logging",
            "class-from-jar",
            "aws-sdk-allowed");

    @Test
    void blockModeBlocksEveryPathWithTheApisOwnFailureAndReportsIt(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block", operations(DENIED));

        for (Case denied : DENIED) {
            String outcome = result.result(denied.operation());
            if (outcome.equals("OK unsupported") && Runtime.version().feature() < 21) {
                continue; // virtual threads arrived in JDK 21
            }
            switch (denied.blocked()) {
                case THROWS ->
                    assertThat(outcome)
                            .as(denied.operation())
                            .startsWith("FAILED")
                            .contains("Blocked by Warden");
                case RETURNS_FALSE -> assertThat(outcome).as(denied.operation()).isEqualTo("OK returned false");
                case RETURNS_NULL -> assertThat(outcome).as(denied.operation()).isEqualTo("OK returned null");
                case REJECTED ->
                    assertThat(outcome)
                            .as(denied.operation())
                            .startsWith("FAILED java.io.InvalidClassException")
                            .contains("REJECTED");
                case UNRESOLVED -> assertThat(outcome).as(denied.operation()).isEqualTo("OK unresolved");
            }
        }
        assertThat(Files.readString(root.resolve("denied/data.txt"))).isEqualTo("denied data");
        try (var entries = Files.list(root.resolve("denied"))) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactly("data.txt");
        }
        assertReported(result, "blocked");
        assertThat(result.violations())
                .anySatisfy(line -> assertThat(line)
                        .contains(
                                "\"category\":\"network\"",
                                "\"target\":\"127.0.0.1:" + servers.deniedPort() + "\"",
                                "\"rule\":",
                                "\"caller\":\"io.warden.probe.Probe."));
    }

    @Test
    void alertModeLetsEveryPathThroughAndReportsItAndOffModeChangesNothing(@TempDir Path root) throws Exception {
        AgentJvm.Result none = probe(Files.createDirectories(root.resolve("none")), null, operations(DENIED));
        AgentJvm.Result alert = probe(Files.createDirectories(root.resolve("alert")), "alert", operations(DENIED));
        AgentJvm.Result off = probe(Files.createDirectories(root.resolve("off")), "off", operations(DENIED));

        for (Case denied : DENIED) {
            String withoutAgent = normalise(none.result(denied.operation()), root.resolve("none"));
            assertThat(normalise(alert.result(denied.operation()), root.resolve("alert")))
                    .as("alert: " + denied.operation())
                    .isEqualTo(withoutAgent);
            assertThat(normalise(off.result(denied.operation()), root.resolve("off")))
                    .as("off: " + denied.operation())
                    .isEqualTo(withoutAgent);
        }
        assertThat(alert.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(alert.result("process-builder")).isEqualTo("OK exit 7");
        assertThat(alert.result("deserialize-gadget"))
                .isEqualTo("OK read org.apache.commons.collections.functors.InvokerTransformer");
        assertReported(alert, "alerted");
        assertThat(off.violations()).isEmpty();
        // Off: the hooks woven while the policy was read are taken out again, cleanly.
        assertThat(off.lines())
                .anySatisfy(line ->
                        assertThat(line).contains("\"warden\":\"status\"", "\"state\":\"off\"", "\"hooks\":\"0\""));
        assertThat(off.lines()).noneSatisfy(line -> assertThat(line).contains("\"warden\":\"error\""));
    }

    @Test
    void allowedOperationsAndWhatTheJdkDoesByItselfAreNeverBlocked(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block", ALLOWED);

        for (String operation : ALLOWED) {
            assertThat(result.result(operation)).as(operation).startsWith("OK");
        }
        assertThat(result.result("aws-sdk-allowed")).isEqualTo("OK tables []");
        assertThat(result.violations()).as(result.toString()).isEmpty();
    }

    private static void assertReported(AgentJvm.Result result, String action) {
        for (Case denied : DENIED) {
            assertThat(result.violations())
                    .as("a %s violation for %s", action, denied.operation())
                    .anySatisfy(line -> assertThat(line)
                            .contains("\"category\":\"" + denied.category() + "\"", "\"action\":\"" + action + "\""));
        }
        for (String line : result.violations()) {
            assertThat(line).contains("\"time\":\"", "\"operation\":\"", "\"target\":\"", "\"rule\":\"", "\"id\":\"");
        }
    }

    static List<String> operations(List<Case> cases) {
        List<String> operations = new ArrayList<>();
        for (Case denied : cases) {
            operations.add(denied.operation());
        }
        return operations;
    }

    /** Runs the probe under a policy in the given mode (null: without the agent) in a fresh directory tree. */
    static AgentJvm.Result probe(Path root, String mode, List<String> operations) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Files.writeString(allowed.resolve("data.txt"), "allowed data");
        Files.writeString(denied.resolve("data.txt"), "denied data");
        Files.write(allowed.resolve("libwardenprobe.so"), new byte[] {0, 1, 2, 3});
        // The machine's own name too: the baseline lets getLocalHost() resolve it, whatever the policy says.
        String localHost =
                Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        Path hosts = Files.writeString(
                root.resolve("hosts"),
                "127.0.0.1 allowed.warden.test exfil.warden.test again.warden.test " + localHost + "\n");
        AgentJvm jvm =
                mode == null ? new AgentJvm().withoutAgent() : new AgentJvm().env("WARDEN_POLICY", policy(root, mode));
        AgentJvm.Result result = jvm.workingDirectory(root)
                .option("-Djdk.net.hosts.file=" + hosts)
                .option("-Djava.library.path=" + allowed)
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.udpPort=" + servers.udpPort())
                .option("-Dprobe.allowedDir=" + allowed)
                .option("-Dprobe.deniedDir=" + denied)
                .run(Probe.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }

    static String policy(Path root, String mode) {
        int allowedPort = servers.allowedPort();
        return """
                {"version": 1, "mode": "%s",
                 "network": {"allow": ["127.0.0.1:%d", "allowed.warden.test:%d"]},
                 "dns": {"allow": ["allowed.warden.test"]},
                 "files": {"read": ["%s/allowed/**", "%s/hosts"], "write": ["%s/allowed/**"], "deny": ["%s/denied/**"]},
                 "processes": {"allow": []},
                 "native": {"allow": []}}
                """.formatted(mode, allowedPort, allowedPort, root, root, root, root);
    }

    private static String normalise(String outcome, Path root) {
        return outcome.replace(root.toString(), "ROOT");
    }
}
