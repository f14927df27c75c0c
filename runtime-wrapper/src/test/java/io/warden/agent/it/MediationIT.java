package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.agent.core.hooks.Hook;
import io.warden.probe.Mediation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Complete mediation, tried as the function's attacker would: each hook judges the value the JDK then uses, paths as the
 * kernel walks them, and every operation that reaches outside the function has a hook. Each attack is blocked in block
 * mode with its own target, reported with that target in alert mode (where it behaves as without Warden), and leaves
 * enforcement intact; the benign forms of the same APIs run without a violation.
 */
class MediationIT extends WithLoopbackServers {

    /**
     * @param blocked the probe's result in block mode: "FAILED" for the API's own exception with Warden's message, or
     *     the exact result of an API that fails by its return value
     * @param target what the violation's target contains; ROOT stands for the test's directory
     */
    record Attack(String operation, String blocked, String violation, String target) {}

    static final String THROWS = "FAILED";
    static final String DENIED_FILE = "ROOT/denied/data.txt";
    static final String READ_ONLY_FILE = "ROOT/readonly/data.txt";

    static List<Attack> attacks(int freePort, long otherPid) {
        return List.of(
                new Attack("process-list-lies", THROWS, "exec", "sh -c exit 7"),
                new Attack("process-relative-in-directory", THROWS, "exec", "ROOT/denied/run.sh"),
                new Attack("temp-file-denied", THROWS, "create", "ROOT/readonly/warden*.tmp"),
                new Attack("temp-file-directory-lies", THROWS, "create", "ROOT/readonly/warden*.tmp"),
                // java.io.tmpdir is ROOT/readonly; the JDK keeps the directory it first read.
                new Attack("temp-file-default-directory", THROWS, "create", "ROOT/readonly/warden*.tmp"),
                new Attack("temp-file-property-changed", THROWS, "create", "ROOT/readonly/warden*.tmp"),
                new Attack("copy-attributes-denied", THROWS, "attributes", "ROOT/readonly/copy.txt"),
                new Attack("move-denied", THROWS, "attributes", "ROOT/readonly/moved.txt"),
                new Attack("file-list-files-denied", "OK returned null", "list", "ROOT/denied"),
                new Attack("file-list-filter-denied", "OK returned null", "list", "ROOT/denied"),
                new Attack("file-list-file-filter-denied", "OK returned null", "list", "ROOT/denied"),
                new Attack("link-dot-dot-io", THROWS, "read", DENIED_FILE),
                new Attack("link-dot-dot-nio", THROWS, "read", DENIED_FILE),
                new Attack("secure-directory-dot-dot", THROWS, "read", DENIED_FILE),
                new Attack("file-set-readable", "OK returned false", "attributes", READ_ONLY_FILE),
                new Attack("file-set-writable", "OK returned false", "attributes", READ_ONLY_FILE),
                new Attack("file-set-executable", "OK returned false", "attributes", READ_ONLY_FILE),
                new Attack("file-set-read-only", "OK returned false", "attributes", READ_ONLY_FILE),
                new Attack("file-set-last-modified", "OK returned false", "attributes", READ_ONLY_FILE),
                new Attack("files-set-permissions", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("files-set-times", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("files-set-owner", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("files-set-attribute", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("files-user-attribute", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("secure-directory-set-permissions", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("secure-directory-set-times", THROWS, "attributes", READ_ONLY_FILE),
                new Attack("file-exists-denied", "OK returned false", "stat", DENIED_FILE),
                new Attack("file-length-denied", "OK returned 0", "stat", DENIED_FILE),
                new Attack("file-last-modified-denied", "OK returned 0", "stat", DENIED_FILE),
                new Attack("files-exists-denied", "OK returned false", "stat", DENIED_FILE),
                new Attack("files-size-denied", THROWS, "stat", DENIED_FILE),
                new Attack("files-attributes-denied", THROWS, "stat", DENIED_FILE),
                new Attack("unix-bind-denied", THROWS, "bind", "ROOT/denied/socket"),
                new Attack("unix-connect-denied", THROWS, "connect", "ROOT/denied/socket"),
                new Attack("listen-denied", THROWS, "listen", "127.0.0.3:" + freePort),
                new Attack("listen-channel-denied", THROWS, "listen", "127.0.0.3:" + freePort),
                new Attack("listen-async-denied", THROWS, "listen", "127.0.0.3:" + freePort),
                new Attack("accept-denied", THROWS, "accept", "127.0.0.4:"),
                new Attack("accept-async-denied", THROWS, "accept", "127.0.0.4:"),
                new Attack("accept-channel-denied", THROWS, "accept", "127.0.0.4:"),
                // Before anything resolves allowed.warden.test in this JVM.
                new Attack("forged-host-name", THROWS, "connect", "name not resolved"),
                new Attack("forged-host-name-answer", THROWS, "connect", "name not resolved"),
                new Attack("inspect-other", THROWS, "inspect", "pid " + otherPid),
                new Attack("signal-other", "OK returned false", "signal", "pid " + otherPid),
                new Attack("jndi-name-lies", THROWS, "lookup", "ldap:"),
                new Attack("jndi-environment-lies", THROWS, "lookup", "(not read)"),
                new Attack("naming-manager-url-context", THROWS, "lookup", "ldap:"),
                // Last: without Warden these delete the denied file the others use.
                new Attack("secure-directory-delete-denied", THROWS, "delete", DENIED_FILE),
                new Attack("file-subclass-delete", "OK returned false", "delete", DENIED_FILE));
    }

    static final List<String> BENIGN = List.of(
            "process-relative-allowed",
            "process-bare-name-allowed",
            "dot-dot-allowed",
            "secure-directory-allowed",
            "attributes-allowed",
            "temp-file-allowed",
            "copy-attributes-allowed",
            "metadata-allowed",
            "unix-allowed",
            "accept-allowed",
            "resolved-host-name-allowed",
            "processes-own-allowed",
            "jndi-local-allowed",
            "platform-mbean-server");

    private Process other;
    private int freePort;

    @BeforeEach
    void startAProcessThisJvmDidNotStartAndFindAFreePort() throws Exception {
        other = new ProcessBuilder("sleep", "300").start();
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
            freePort = probe.getLocalPort();
        }
    }

    @AfterEach
    void stopIt() {
        other.destroyForcibly();
    }

    @Test
    void blockModeBlocksEachAttackWithItsOwnTargetAndEnforcementHoldsAfterwards(@TempDir Path root) throws Exception {
        List<Attack> attacks = attacks(freePort, other.pid());
        FileTime readOnlyTime = Files.getLastModifiedTime(tree(root).resolve("readonly/data.txt"));

        AgentJvm.Result result = probe(root, "block", operations(attacks, "still-enforced"));

        for (Attack attack : attacks) {
            String outcome = result.result(attack.operation());
            if (attack.blocked().equals(THROWS)) {
                assertThat(outcome).as(attack.operation()).startsWith("FAILED").contains("Blocked by Warden");
            } else {
                assertThat(outcome).as(attack.operation()).isEqualTo(attack.blocked());
            }
            assertReported(result, attack, "blocked", root);
        }
        assertThat(result.result("still-enforced")).contains("Blocked by Warden");
        assertThat(Files.readString(root.resolve("denied/data.txt"))).isEqualTo("denied data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("readonly/data.txt"))))
                .isEqualTo("r--r-----");
        assertThat(Files.getLastModifiedTime(root.resolve("readonly/data.txt"))).isEqualTo(readOnlyTime);
        assertThat(Files.exists(root.resolve("denied/socket"))).isFalse();
        try (var readOnly = Files.list(root.resolve("readonly"))) {
            assertThat(readOnly.map(path -> path.getFileName().toString()))
                    .as("no temporary file, copy or moved file in the read-only directory")
                    .containsExactly("data.txt");
        }
        assertThat(other.isAlive()).as("the other process got no signal").isTrue();
    }

    @Test
    void alertModeReportsEachAttackWithItsOwnTargetAndChangesNothingElse(@TempDir Path root) throws Exception {
        List<Attack> attacks = attacks(freePort, other.pid());
        List<String> operations = operations(attacks);
        Path withoutRoot = Files.createDirectories(root.resolve("none"));
        Path alertRoot = Files.createDirectories(root.resolve("alert"));

        AgentJvm.Result none = probe(withoutRoot, null, operations);
        other.destroyForcibly().waitFor();
        other = new ProcessBuilder("sleep", "300").start();
        List<Attack> alertAttacks = attacks(freePort, other.pid());
        AgentJvm.Result alert = probe(alertRoot, "alert", operations);

        for (Attack attack : alertAttacks) {
            assertThat(alert.result(attack.operation()).replace(alertRoot.toString(), "ROOT"))
                    .as("alert: " + attack.operation())
                    .isEqualTo(none.result(attack.operation()).replace(withoutRoot.toString(), "ROOT"));
            assertReported(alert, attack, "alerted", alertRoot);
        }
        assertThat(alert.result("process-list-lies")).isEqualTo("OK exit 7");
        assertThat(alert.result("signal-other")).isEqualTo("OK returned true");
        assertThat(alert.result("temp-file-property-changed")).isEqualTo("OK created in readonly");
        assertThat(alert.result("copy-attributes-denied")).isEqualTo("OK copied to copy.txt");
        assertThat(alert.result("move-denied")).isEqualTo("OK moved to moved.txt");
    }

    @Test
    void theBenignFormsOfTheSameApisRunWithoutAViolation(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block", BENIGN);

        for (String operation : BENIGN) {
            assertThat(result.result(operation)).as(operation).startsWith("OK");
        }
        assertThat(result.result("process-relative-allowed")).isEqualTo("OK exit 0");
        assertThat(result.result("process-bare-name-allowed")).isEqualTo("OK exit 0");
        assertThat(result.result("secure-directory-allowed")).isEqualTo("OK moved, size 1");
        assertThat(result.result("temp-file-allowed")).isEqualTo("OK created in allowed");
        assertThat(result.result("copy-attributes-allowed")).isEqualTo("OK copied and moved, true");
        assertThat(result.result("accept-allowed"))
                .isEqualTo("OK accepted 127.0.0.5, accepted channel 127.0.0.5, accepted async 127.0.0.5");
        assertThat(result.result("resolved-host-name-allowed")).isEqualTo("OK connected true");
        assertThat(result.result("processes-own-allowed")).isEqualTo("OK own true self true destroyed true");
        assertThat(result.violations()).as(result.toString()).isEmpty();
    }

    /**
     * A process's links in /proc (its root, its working directory, its descriptors, also through /dev/fd) name files
     * outside /proc. Under a files section in alert mode whose deny entries block (as the layer's default policy has
     * it), a deny entry and the built-in deny set still block the file by any of those names, and the violation names the
     * file; a descriptor of an allowed file reads as that file.
     */
    @Test
    void aDeniedFileStaysDeniedThroughTheProcessLinksInProc(@TempDir Path root) throws Exception {
        tree(root);
        String record = "mediation-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path recordFile = Path.of("/tmp/.warden-policy-revision-" + record);
        List<String> attacks = List.of(
                "proc-root-denied",
                "proc-thread-root-denied",
                "proc-task-root-denied",
                "proc-fd-denied",
                "dev-fd-denied");
        List<String> operations = new ArrayList<>(attacks);
        operations.addAll(List.of("proc-root-revision-record", "proc-fd-allowed"));
        String policy = """
                {"version": 1, "mode": "block",
                 "files": {"mode": "alert", "denyMode": "block", "read": ["%1$s/allowed/**"],
                           "deny": ["%1$s/denied/**"]}}
                """.formatted(root);
        try {
            AgentJvm.Result result = new AgentJvm()
                    .env("WARDEN_POLICY", policy)
                    .workingDirectory(root.resolve("allowed"))
                    .option("-Dprobe.root=" + root)
                    .option("-Dprobe.record=" + record)
                    .run(Mediation.class.getName(), operations);
            assertThat(result.exitCode).as(result.toString()).isZero();

            for (String attack : attacks) {
                assertThat(result.result(attack))
                        .as(attack + "\n" + result)
                        .startsWith("FAILED")
                        .contains("Blocked by Warden: file read " + root + "/denied/data.txt (rule files.deny[0])");
            }
            assertThat(result.violations())
                    .filteredOn(line -> line.contains("\"target\":\"" + root + "/denied/data.txt\""))
                    .as(result.toString())
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("\"action\":\"blocked\"", "files.deny[0]"));
            assertThat(result.result("proc-root-revision-record"))
                    .startsWith("FAILED")
                    .contains("Blocked by Warden: file write " + recordFile
                            + " (rule builtin.deny /tmp/.warden-policy-revision-*)");
            assertThat(recordFile).doesNotExist();
            assertThat(result.result("proc-fd-allowed")).isEqualTo("OK read 12 bytes");
            assertThat(result.violations())
                    .as("every violation names the file, not the link")
                    .filteredOn(line -> line.contains("\"target\":\"/proc/") || line.contains("\"target\":\"/dev/"))
                    .isEmpty();
        } finally {
            Files.deleteIfExists(recordFile);
        }
    }

    private static void assertReported(AgentJvm.Result result, Attack attack, String action, Path root) {
        String target = attack.target().replace("ROOT", root.toString());
        assertThat(result.violations())
                .as("a %s violation for %s with target %s\n%s", action, attack.operation(), target, result)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"operation\":\"" + attack.violation() + "\"", "\"action\":\"" + action + "\"")
                        .containsPattern("\"target\":\"[^\"]*" + java.util.regex.Pattern.quote(target)));
    }

    private static List<String> operations(List<Attack> attacks, String... more) {
        List<String> operations = new ArrayList<>();
        for (Attack attack : attacks) {
            operations.add(attack.operation());
        }
        operations.addAll(List.of(more));
        return operations;
    }

    /** The directory tree the probe works in. */
    private static Path tree(Path root) throws Exception {
        if (Files.isDirectory(root.resolve("allowed"))) {
            return root;
        }
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Path readOnly = Files.createDirectories(root.resolve("readonly"));
        Files.createDirectories(allowed.resolve("sub"));
        Files.writeString(allowed.resolve("data.txt"), "allowed data");
        Files.writeString(denied.resolve("data.txt"), "denied data");
        Files.writeString(readOnly.resolve("data.txt"), "read-only data");
        Files.setPosixFilePermissions(readOnly.resolve("data.txt"), PosixFilePermissions.fromString("r--r-----"));
        script(allowed.resolve("run.sh"), "if [ \"$1\" = wait ]; then sleep 300; fi\nexit 0");
        script(denied.resolve("run.sh"), "exit 7");
        Files.writeString(root.resolve("hosts"), "127.0.0.1 allowed.warden.test\n");
        return root;
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the mediation probe under the policy in the given mode (null: without the agent). */
    private AgentJvm.Result probe(Path root, String mode, List<String> operations) throws Exception {
        tree(root);
        AgentJvm jvm =
                mode == null ? new AgentJvm().withoutAgent() : new AgentJvm().env("WARDEN_POLICY", policy(root, mode));
        AgentJvm.Result result = jvm.workingDirectory(root.resolve("allowed"))
                .env("PATH", root.resolve("allowed") + ":/usr/bin:/bin")
                .option("-Djdk.net.hosts.file=" + root.resolve("hosts"))
                .option("-Dprobe.root=" + root)
                .option("-Djava.io.tmpdir=" + root.resolve("readonly"))
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.freePort=" + freePort)
                .option("-Dprobe.otherPid=" + other.pid())
                .option("-Dprobe.dnsAnswerHook=" + Hook.DNS_ANSWER.ordinal())
                .run(Mediation.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }

    private static String policy(Path root, String mode) {
        return """
                {"version": 1, "mode": "%1$s",
                 "network": {"allow": ["127.0.0.1:%2$d", "allowed.warden.test:%3$d", "127.0.0.3"],
                             "listen": ["0"], "accept": ["127.0.0.5"]},
                 "dns": {"allow": ["allowed.warden.test"]},
                 "files": {"read": ["%4$s/allowed/**", "%4$s/readonly/**", "%4$s/hosts"], "write": ["%4$s/allowed/**"],
                           "deny": ["%4$s/denied/**"]},
                 "processes": {"allow": ["%4$s/allowed/*.sh"]},
                 "jndi": {"allow": []}}
                """.formatted(mode, servers.allowedPort(), servers.deniedPort(), root);
    }
}
