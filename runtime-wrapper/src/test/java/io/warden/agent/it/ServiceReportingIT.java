package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.warden.probe.Probe;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Warden's own reporting to the policy service, attacked from inside the function (docs/threat-model.md): the
 * handlers a function can replace JVM-wide are never called by it, its exemption covers its own connect to the
 * service's address and nothing else, and every violation of the run reaches the service, the last ones as the JVM
 * exits. The service here is a loopback fake that records what the agent posts.
 */
class ServiceReportingIT extends WithLoopbackServers {

    private static final String TOKEN = "reporter-token-for-the-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer service;
    private final List<String> receivedIds = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startService() throws IOException {
        service = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        service.createContext("/v1/reports", exchange -> {
            JsonNode report = JSON.readTree(exchange.getRequestBody());
            for (JsonNode event : report.get("events")) {
                receivedIds.add(event.get("id").asText());
            }
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"accepted\":1}".getBytes();
            exchange.sendResponseHeaders(202, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        service.start();
    }

    @AfterEach
    void stopService() {
        service.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "alert"})
    void wardensSendingCallsNoReplacedHandlerIsExemptForItsOwnConnectOnlyAndEveryEventArrives(String mode)
            throws Exception {
        int servicePort = service.getAddress().getPort();
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"" + mode + "\",\"network\":{\"allow\":[\"127.0.0.1:"
                                + servers.allowedPort() + "\"]}}")
                .env("WARDEN_SERVICE_URL", "http://127.0.0.1:" + servicePort + "/")
                .env("WARDEN_SERVICE_TOKEN", TOKEN)
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.servicePort=" + servicePort)
                .run(
                        Probe.class.getName(),
                        List.of("attack-service-handlers", "attack-service-address", "socket-channel-denied"));
        assertThat(result.exitCode).as(result.toString()).isZero();

        // No handler of the function's ran, on any thread: Warden's sending called none of them.
        assertThat(result.lines()).as(result.toString()).noneMatch(line -> line.startsWith("HANDLER-CALLED"));
        assertThat(result.violations()).noneMatch(line -> line.contains("ReplacedHandlers"));

        // The function's own connections to the service's address are checked, from any thread.
        String toService = "Blocked by Warden: network connect 127.0.0.1:" + servicePort;
        if (mode.equals("block")) {
            assertThat(result.result("attack-service-address"))
                    .isEqualTo("OK main: " + toService + " (rule network.allow (no match)); thread: " + toService
                            + " (rule network.allow (no match))");
            assertThat(result.result("socket-channel-denied")).as("afterwards").contains("Blocked by Warden");
        } else {
            assertThat(result.result("attack-service-address")).isEqualTo("OK main: connected; thread: connected");
            assertThat(result.result("socket-channel-denied")).as("afterwards").startsWith("OK connected");
        }
        assertThat(result.violations())
                .as("the function's connects to the service's address")
                .filteredOn(line -> line.contains("\"target\":\"127.0.0.1:" + servicePort + "\""))
                .hasSizeGreaterThanOrEqualTo(1)
                .allSatisfy(line -> assertThat(line).contains("\"caller\":\"io.warden.probe.Attacks."));

        // Every violation line of the run reached the service, the last ones while the JVM exited.
        List<String> loggedIds = new ArrayList<>();
        for (String line : result.violations()) {
            loggedIds.add(JSON.readTree(line).get("id").asText());
        }
        assertThat(loggedIds).hasSizeGreaterThanOrEqualTo(4);
        assertThat(receivedIds).as(result.toString()).containsExactlyInAnyOrderElementsOf(loggedIds);
        assertThat(authorizations).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
    }

    /**
     * The function names a {@code SelectorProvider} of its own at run time: the agent took the JVM's at start-up, so
     * the function's class is never made (on Warden's thread or any other) and every event still arrives.
     */
    @Test
    void aSelectorProviderNamedAtRunTimeIsNeverUsed() throws Exception {
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                                + "\"]}}")
                .env(
                        "WARDEN_SERVICE_URL",
                        "http://127.0.0.1:" + service.getAddress().getPort() + "/")
                .env("WARDEN_SERVICE_TOKEN", TOKEN)
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .run(Probe.class.getName(), List.of("attack-service-selector-provider", "socket-denied"));
        assertThat(result.exitCode).as(result.toString()).isZero();

        assertThat(result.result("attack-service-selector-provider"))
                .as(result.toString())
                .startsWith("OK provider sun.nio.ch.")
                .contains("Blocked by Warden");
        assertThat(result.lines()).noneMatch(line -> line.startsWith("HANDLER-CALLED"));
        List<String> loggedIds = new ArrayList<>();
        for (String line : result.violations()) {
            loggedIds.add(JSON.readTree(line).get("id").asText());
        }
        assertThat(loggedIds).hasSize(2);
        assertThat(receivedIds).as(result.toString()).containsExactlyInAnyOrderElementsOf(loggedIds);
    }
}
