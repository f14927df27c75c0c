package io.warden.cli;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.PolicySignature;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.LocalService;
import io.warden.service.api.ServiceClient;
import io.warden.service.signing.SigningKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden serve} as its own process, as people and bin/demo run it. */
class ServeCommandTest {

    static final String LISTENING = "warden serve: listening on ";

    @TempDir
    Path dataDirectory;

    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
    }

    Process warden(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WardenCommand.class.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(process);
        return process;
    }

    /** Starts the service and returns its base URL, from the line it prints once it listens. */
    String serve() throws IOException {
        Process process = warden("serve", "--data-dir", dataDirectory.toString(), "--port", "0");
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(LISTENING)) {
                return line.substring(LISTENING.length());
            }
        }
        throw new AssertionError("warden serve exited with " + waitFor(process) + " before listening");
    }

    static int waitFor(Process process) {
        try {
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void anAcknowledgedReportSurvivesKillNine() throws Exception {
        ServiceClient client = new ServiceClient(serve());
        String admin = Files.readString(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE))
                .trim();
        String reporter = client.reporterToken(admin, "orders");
        String event = ViolationJson.toJsonLine(Violation.builder()
                .id("durable-1")
                .function("orders")
                .time(Instant.parse("2024-05-01T12:00:00Z"))
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(Action.BLOCKED)
                .rule("network.allow (no match)")
                .requestId("req-1")
                .build());
        HttpResponse<String> report =
                client.postJson("/v1/reports", reporter, "{\"function\":\"orders\",\"events\":[" + event + "]}");
        assertThat(report.statusCode()).isEqualTo(202);

        processes.get(0).destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no close

        ServiceClient restarted = new ServiceClient(serve());
        HttpResponse<String> violations = restarted.get("/v1/violations?function=orders", admin);
        assertThat(violations.statusCode()).isEqualTo(200);
        assertThat(json(violations.body())
                        .get("violations")
                        .get(0)
                        .get("requestId")
                        .asText())
                .isEqualTo("req-1");
        assertThat(restarted
                        .postJson("/v1/reports", reporter, "{\"function\":\"orders\",\"events\":[" + event + "]}")
                        .body())
                .as("the reporter token survived too, and the event is known")
                .contains("\"duplicates\":1");
    }

    @Test
    void printsThePublicKeyThatVerifiesServedPolicies() throws Exception {
        Process print = warden("serve", "--data-dir", dataDirectory.toString(), "--print-public-key");
        String publicKey = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(waitFor(print)).isZero();
        assertThat(Files.getPosixFilePermissions(dataDirectory.resolve(SigningKey.FILE_NAME)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        ServiceClient client = new ServiceClient(serve());
        String admin = Files.readString(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE))
                .trim();
        assertThat(Files.getPosixFilePermissions(dataDirectory.resolve(LocalService.ADMIN_TOKEN_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        client.putJson("/v1/policies/orders", admin, "{\"version\":1}");
        HttpResponse<byte[]> policy = client.sendForBytes(
                ServiceClient.authorized(client.request("/v1/policies/orders").GET(), admin));
        byte[] signature = Base64.getDecoder()
                .decode(policy.headers().firstValue("X-Warden-Signature").orElseThrow());
        assertThat(SigningKey.verify(
                        publicKey,
                        PolicySignature.message(
                                "orders",
                                Long.parseLong(policy.headers()
                                        .firstValue("X-Warden-Policy-Revision")
                                        .orElseThrow()),
                                Long.parseLong(policy.headers()
                                        .firstValue("X-Warden-Policy-Expires")
                                        .orElseThrow()),
                                policy.body()),
                        signature))
                .isTrue();
    }

    @Test
    void printsAOneTimeLoginUrlForTheWebView() throws Exception {
        Process process = warden("serve", "--data-dir", dataDirectory.toString(), "--port", "0");
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String loginUrl = null;
        for (String line; loginUrl == null && (line = out.readLine()) != null; ) {
            if (line.startsWith("warden serve: web view (one-time login, valid 15 minutes) http://")) {
                loginUrl = line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        assertThat(loginUrl).as("the login line").isNotNull().contains("/#login=wdn_");
        ServiceClient client = new ServiceClient(loginUrl.substring(0, loginUrl.indexOf("/#login=")));
        assertThat(client.get("/", null).body()).contains("<title>Warden</title>");
        String code = loginUrl.substring(loginUrl.indexOf("#login=") + "#login=".length());
        HttpResponse<String> login = client.postJson("/v1/login", null, "{\"code\":\"" + code + "\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
        assertThat(client.get("/v1/violations", json(login.body()).get("token").asText())
                        .statusCode())
                .isEqualTo(200);
        assertThat(client.postJson("/v1/login", null, "{\"code\":\"" + code + "\"}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aBadPortIsAUsageError() throws Exception {
        Process process = warden("serve", "--data-dir", dataDirectory.toString(), "--port", "70000");
        assertThat(waitFor(process)).isEqualTo(2);
    }
}
