package io.warden.service;

import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.json;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.testFunction;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.testfunctions.Connect;
import io.warden.service.api.ServiceClient;
import io.warden.service.signing.SigningKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in a function on the real Lambda runtime client, with the real policy service: it enforces the signed
 * policy the service serves, its violations arrive in the service with their request ids, and a policy whose
 * signature does not verify is refused.
 */
class AgentServiceEndToEndTest {

    private static final String FUNCTION = "connector";

    @TempDir
    static Path data;

    private static LocalService service;
    private static ServiceClient client;
    private static String reporterToken;
    private static ServerSocket target;

    @BeforeAll
    static void start() throws IOException {
        service = LocalService.start(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
        target = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        // The service's policy allows nothing of the network; the deployed one (below) allows the target.
        assertThat(client.putJson(
                                "/v1/policies/" + FUNCTION,
                                service.adminToken(),
                                "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[]}}")
                        .statusCode())
                .isBetween(200, 204);
        reporterToken = client.reporterToken(service.adminToken(), FUNCTION);
    }

    @AfterAll
    static void stop() throws IOException {
        target.close();
        service.close();
    }

    private static FunctionSpec.Builder connector(String publicKey) {
        return withBuiltLayer(testFunction(Connect.class))
                .functionName(FUNCTION)
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + target.getLocalPort() + "\"]}}")
                .env("WARDEN_SERVICE_URL", service.baseUrl())
                .env("WARDEN_SERVICE_TOKEN", reporterToken)
                .env("WARDEN_POLICY_PUBLIC_KEY", publicKey);
    }

    @Test
    void theServicesSignedPolicyIsEnforcedAndItsViolationsArriveWithTheirRequestIds() throws IOException {
        InvokeRun run = invoke(
                connector(service.signingKey().publicKeyBase64()).build(), "{\"port\":" + target.getLocalPort() + "}");

        InvocationResult result = run.results().get(0);
        assertThat(json(result.payloadText()).get("outcome").asText())
                .startsWith("java.net.ConnectException: Blocked by Warden");
        JsonNode violations = json(client.get("/v1/violations?function=" + FUNCTION, service.adminToken())
                .body());
        assertThat(violations.toString())
                .contains(
                        "\"requestId\":\"" + result.requestId() + "\"",
                        "\"target\":\"127.0.0.1:" + target.getLocalPort() + "\"");
    }

    /**
     * Every violation line the function's log holds is in the service once the run is over: what is queued leaves at
     * the end of each invocation (within its bound) and, the rest, as the JVM exits on the runtime's SIGTERM. Counted
     * through the service's public API, for a function of its own.
     */
    @Test
    void everyViolationOfTheRunIsInTheServiceAfterTheJvmHasExited() throws IOException {
        String function = "connector-counted";
        assertThat(client.putJson(
                                "/v1/policies/" + function,
                                service.adminToken(),
                                "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[]}}")
                        .statusCode())
                .isBetween(200, 204);
        String event = "{\"port\":" + target.getLocalPort() + "}";
        InvokeRun run = invoke(
                connector(service.signingKey().publicKeyBase64())
                        .functionName(function)
                        .env("WARDEN_SERVICE_TOKEN", client.reporterToken(service.adminToken(), function))
                        .build(),
                event,
                event,
                event,
                event,
                event);

        List<String> logged = new ArrayList<>();
        for (JsonNode line : jsonLogLines(run)) {
            if (line.path("warden").asText().equals("violation")) {
                logged.add(line.get("id").asText());
            }
        }
        assertThat(logged).hasSize(5);
        List<String> stored = new ArrayList<>();
        for (JsonNode violation : json(client.get(
                                "/v1/violations?function=" + function + "&limit=100", service.adminToken())
                        .body())
                .get("violations")) {
            stored.add(violation.get("id").asText());
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(logged);
    }

    @Test
    void aPolicyWhoseSignatureDoesNotVerifyIsRefusedAndTheDeployedOneStays() throws IOException {
        String otherKey = Base64.getEncoder()
                .encodeToString(SigningKey.generate().getPublic().getEncoded());
        InvokeRun run = invoke(connector(otherKey).build(), "{\"port\":" + target.getLocalPort() + "}");

        assertThat(json(run.results().get(0).payloadText()).get("outcome").asText())
                .isEqualTo("connected");
        assertThat(jsonLogLines(run))
                .anySatisfy(line -> assertThat(line.path("message").asText()).contains("signature does not verify"));
    }
}
