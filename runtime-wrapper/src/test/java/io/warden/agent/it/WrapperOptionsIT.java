package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer's exec wrapper turns off the JVM's own ways to load agents (docs/threat-model.md, "Deployment settings").
 * Through that very wrapper, on JDK 17 and 25, the AWS SDK v2 with each of its HTTP clients (URLConnection, Apache,
 * Netty NIO) still reaches its endpoint under the layer's default policy, and the options are in force. The Lambda runtime client through the wrapper is
 * covered by the invoke tests (WardenLayerTest, LocalLambdaTest).
 */
class WrapperOptionsIT extends WithLoopbackServers {

    private static final Path LAYER = Path.of("../layer/src/main/layer");

    @Test
    void theSdkClientsWorkThroughTheWrapperWithAgentLoadingOff(@TempDir Path root) throws Exception {
        Path layer = Files.createDirectories(root.resolve("opt/warden")).getParent();
        Files.copy(LAYER.resolve("warden-wrapper"), layer.resolve("warden-wrapper"));
        layer.resolve("warden-wrapper").toFile().setExecutable(true);
        Files.copy(LAYER.resolve("warden/policy.json"), layer.resolve("warden/policy.json"));
        Files.copy(AgentJvm.AGENT_JAR, layer.resolve("warden/warden-agent.jar"));

        // The layer as Lambda unpacks it, with its default policy.
        AgentJvm.Result result = new AgentJvm()
                .throughWrapper(layer.resolve("warden-wrapper"))
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .run(
                        Probe.class.getName(),
                        List.of(
                                "aws-sdk-allowed",
                                "aws-sdk-apache-allowed",
                                "aws-sdk-netty-allowed",
                                "agent-loading-flags"));

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.stderr).contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:");
        for (String client : List.of("aws-sdk-allowed", "aws-sdk-apache-allowed", "aws-sdk-netty-allowed")) {
            assertThat(result.result(client)).as(client + "\n" + result).isEqualTo("OK tables []");
        }
        boolean dynamicLoadingOff = Runtime.version().feature() >= 21;
        assertThat(result.result("agent-loading-flags"))
                .isEqualTo("OK DisableAttachMechanism=true EnableDynamicAgentLoading=" + !dynamicLoadingOff);
        assertThat(result.violations()).noneMatch(line -> line.contains("\"action\":\"blocked\""));
    }
}
