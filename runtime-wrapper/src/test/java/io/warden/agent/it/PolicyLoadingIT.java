package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.Probe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent finds its policy, and what it does with one that is missing or invalid: fail closed, say why. */
class PolicyLoadingIT extends WithLoopbackServers {

    private static String allowing(int port) {
        return "{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + port + "\"]}}";
    }

    private static AgentJvm.Result connect(AgentJvm jvm) throws Exception {
        return jvm.option("-Dprobe.allowedPort=" + servers.allowedPort())
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .run(Probe.class.getName(), List.of("socket-allowed", "socket-denied"));
    }

    private static String status(AgentJvm.Result result) {
        return result.lines().stream()
                .filter(line -> line.startsWith("{\"warden\":\"status\""))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anInvalidPolicyIsReportedPreciselyAndTheAgentFailsClosed() throws Exception {
        AgentJvm.Result result = connect(new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                                + "\",\"db.internal:99999\"]}}"));

        assertThat(result.lines())
                .filteredOn(line -> line.startsWith("{\"warden\":\"error\""))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(
                                "\"source\":\"WARDEN_POLICY\"",
                                "WARDEN_POLICY: /network/allow/1: ",
                                "99999",
                                "enforcing the baseline only"));
        assertThat(result.result("socket-allowed"))
                .as("the invalid policy's allow list is not used")
                .contains("Blocked by Warden");
        assertThat(result.result("socket-denied")).contains("Blocked by Warden");
    }

    @Test
    void aMissingPolicyFileIsAnErrorNotASilentFallback() throws Exception {
        AgentJvm.Result result = connect(new AgentJvm().env("WARDEN_POLICY_FILE", "/nonexistent/warden-policy.json"));

        assertThat(result.stdout)
                .contains("\"source\":\"WARDEN_POLICY_FILE=/nonexistent/warden-policy.json\"", "file not found");
        assertThat(result.result("socket-allowed")).contains("Blocked by Warden");
    }

    @Test
    void aPolicyFileThatIsNotUtf8IsRefusedNotRepaired(@TempDir Path root) throws Exception {
        // Decoded leniently, the 0xFF byte would become U+FFFD in a file pattern and the policy would load.
        byte[] policy = ("{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                        + "\"]},\"files\":{\"read\":[\"/tmp/@\"]}}")
                .getBytes(StandardCharsets.US_ASCII);
        policy[new String(policy, StandardCharsets.US_ASCII).indexOf('@')] = (byte) 0xff;
        Path file = Files.write(root.resolve("policy.json"), policy);

        AgentJvm.Result result = connect(new AgentJvm().env("WARDEN_POLICY_FILE", file.toString()));

        assertThat(result.lines())
                .filteredOn(line -> line.startsWith("{\"warden\":\"error\""))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("not valid UTF-8", "enforcing the baseline only"));
        assertThat(result.result("socket-allowed"))
                .as("the refused policy's allow list is not used")
                .contains("Blocked by Warden");
    }

    @Test
    void theFirstSourceFoundWins(@TempDir Path root) throws Exception {
        Path agentDirectory = Files.createDirectories(root.resolve("layer"));
        Path agentJar = Files.copy(AgentJvm.AGENT_JAR, agentDirectory.resolve("warden-agent.jar"));
        Files.writeString(agentDirectory.resolve("policy.json"), allowing(servers.allowedPort()));
        Path taskRoot = Files.createDirectories(root.resolve("task"));
        Files.writeString(taskRoot.resolve("warden-policy.json"), allowing(servers.allowedPort()));
        Path file = Files.writeString(root.resolve("file-policy.json"), allowing(servers.allowedPort()));

        assertThat(status(connect(new AgentJvm().agentJar(agentJar))))
                .contains("\"policySource\":\"" + agentDirectory.resolve("policy.json") + "\"");
        assertThat(status(connect(new AgentJvm().agentJar(agentJar).env("LAMBDA_TASK_ROOT", taskRoot.toString()))))
                .contains("\"policySource\":\"" + taskRoot.resolve("warden-policy.json") + "\"");
        AgentJvm.Result fromFile = connect(new AgentJvm()
                .agentJar(agentJar)
                .env("LAMBDA_TASK_ROOT", taskRoot.toString())
                .env("WARDEN_POLICY_FILE", file.toString()));
        assertThat(status(fromFile)).contains("\"policySource\":\"WARDEN_POLICY_FILE=" + file + "\"");
        assertThat(fromFile.result("socket-allowed")).isEqualTo("OK connected true");
        assertThat(status(connect(new AgentJvm()
                        .agentJar(agentJar)
                        .env("WARDEN_POLICY_FILE", file.toString())
                        .env("WARDEN_POLICY", allowing(servers.allowedPort())))))
                .contains("\"policySource\":\"WARDEN_POLICY\"");
    }

    @Test
    void wardenModeOverridesEveryModeOfThePolicy() throws Exception {
        AgentJvm.Result alert = connect(new AgentJvm()
                .env("WARDEN_POLICY", allowing(servers.allowedPort()))
                .env("WARDEN_MODE", "alert"));
        assertThat(alert.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(alert.violations()).singleElement().asString().contains("\"action\":\"alerted\"");

        AgentJvm.Result invalid = connect(new AgentJvm()
                .env("WARDEN_POLICY", allowing(servers.allowedPort()))
                .env("WARDEN_MODE", "loud"));
        assertThat(invalid.stdout).contains("WARDEN_MODE: ", "loud");
        assertThat(invalid.result("socket-allowed")).contains("Blocked by Warden");
    }
}
