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
 * The adversarial suite: code inside the function attacks Warden itself (docs/threat-model.md). Every attack runs in
 * block mode and in alert mode in a forked JVM with the built agent; each must get what the threat model says, be
 * reported, and leave enforcement standing: a connect to a denied address after all of them is still blocked.
 */
class IntegrityIT extends WithLoopbackServers {

    /**
     * One attack: what its result must contain in block and in alert mode, the category of the violation it must be
     * reported as (null: it is no operation of the policy's, there is nothing to report), and the JDKs it applies to.
     */
    record Attack(String operation, String category, List<String> blocked, List<String> alerted, int fromJdk, int toJdk) {
        boolean appliesHere() {
            int feature = Runtime.version().feature();
            return feature >= fromJdk && feature <= toJdk;
        }
    }

    static final List<Attack> ATTACKS = List.of(
            new Attack("attack-agent-entry", null, List.of("OK registered null"), List.of("OK registered null"), 17, 99),
            new Attack("attack-agent-module", "process",
                    List.of("OK Blocked by Warden: process exec sh -c exit 7", "no way into java.lang"),
                    List.of("OK exit 7", "no way into java.lang"), 17, 99));

    @Test
    void blockModeStopsEveryAttackReportsItAndEnforcementHoldsAfterwards(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block");

        for (Attack attack : applicable()) {
            assertThat(result.result(attack.operation())).as(attack.operation() + "\n" + result).contains(attack.blocked());
            if (attack.category() != null) {
                assertThat(result.violations()).as(attack.operation()).anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"" + attack.category() + "\"", "\"action\":\"blocked\""));
            }
        }
        assertThat(result.result("socket-denied")).as("after every attack").contains("Blocked by Warden");
        assertThat(result.result("files-read-denied")).as("after every attack").contains("Blocked by Warden");
        assertThat(result.lines()).noneSatisfy(line -> assertThat(line).startsWith("{\"warden\":\"error\""));
    }

    @Test
    void alertModeReportsEveryAttackAndStillReportsAfterwards(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "alert");

        for (Attack attack : applicable()) {
            assertThat(result.result(attack.operation())).as(attack.operation() + "\n" + result).contains(attack.alerted());
            if (attack.category() != null) {
                assertThat(result.violations()).as(attack.operation()).anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"" + attack.category() + "\"", "\"action\":\"alerted\""));
            }
        }
        assertThat(result.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(result.violations()).as("after every attack").anySatisfy(line -> assertThat(line)
                .contains("\"category\":\"network\"", "\"target\":\"127.0.0.1:" + servers.deniedPort() + "\"",
                        "\"action\":\"alerted\""));
    }

    private static List<Attack> applicable() {
        List<Attack> attacks = new ArrayList<>();
        for (Attack attack : ATTACKS) {
            if (attack.appliesHere()) {
                attacks.add(attack);
            }
        }
        return attacks;
    }

    private static AgentJvm.Result probe(Path root, String mode) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Files.writeString(denied.resolve("data.txt"), "denied data");
        List<String> operations = new ArrayList<>();
        for (Attack attack : applicable()) {
            operations.add(attack.operation());
        }
        operations.add("socket-denied");
        operations.add("files-read-denied");
        String policy = "{\"version\":1,\"mode\":\"" + mode + "\",\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                + "\"]},\"files\":{\"read\":[\"" + root + "/allowed/**\"],\"write\":[\"" + root + "/allowed/**\"],"
                + "\"deny\":[\"" + root + "/denied/**\"]}}";
        AgentJvm.Result result = new AgentJvm().env("WARDEN_POLICY", policy).workingDirectory(root)
                .option("-Dprobe.allowedPort=" + servers.allowedPort()).option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.allowedDir=" + allowed).option("-Dprobe.deniedDir=" + denied)
                .run(Probe.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }
}
