package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.warden.probe.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warden's reporting to a policy service over https (docs/agent.md#the-policy-service): the service is a loopback
 * {@code HttpsServer} with certificates made here by the JDK's keytool, both trusted by the forked JVM's trust store.
 * Events arrive over TLS when the certificate names the host of {@code WARDEN_SERVICE_URL}; a certificate for another
 * host is refused, said in an error line, and enforcement is not affected.
 */
class ServiceTlsIT extends WithLoopbackServers {

    private static final String PASSWORD = "warden-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path keys;

    private static Path trustStore;

    private HttpsServer service;
    private final List<String> receivedIds = new CopyOnWriteArrayList<>();
    /** The program waits at its end until the service has both events, or the agent has said why it could not send. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    /** A key and certificate for localhost, one for another host, and a trust store holding both certificates. */
    @BeforeAll
    static void makeCertificates() throws Exception {
        trustStore = keys.resolve("trust.p12");
        for (String host : List.of("localhost", "service.other.example")) {
            Path keyStore = keys.resolve(host + ".p12");
            keytool(
                    "-genkeypair",
                    "-alias",
                    "service",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + host,
                    "-ext",
                    "SAN=dns:" + host,
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD);
            Path certificate = keys.resolve(host + ".pem");
            keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "service",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    host,
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    trustStore.toString(),
                    "-storepass",
                    PASSWORD);
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(command + "\n" + output).isZero();
    }

    /** The loopback service, presenting the certificate made for {@code host}. */
    private void startService(String host) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve(host + ".p12"))) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        service = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        service.setHttpsConfigurator(new HttpsConfigurator(tls));
        service.createContext("/v1/reports", exchange -> {
            JsonNode report = JSON.readTree(exchange.getRequestBody());
            for (JsonNode event : report.get("events")) {
                receivedIds.add(event.get("id").asText());
            }
            if (receivedIds.size() >= 2) {
                released.complete(null);
            }
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
        if (service != null) {
            service.stop(0);
        }
    }

    private AgentJvm.Result run() throws Exception {
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                                + "\"]}}")
                .env(
                        "WARDEN_SERVICE_URL",
                        "https://localhost:" + service.getAddress().getPort() + "/")
                .env("WARDEN_SERVICE_TOKEN", "reporter-token-for-the-test")
                .option("-Djavax.net.ssl.trustStore=" + trustStore)
                .option("-Djavax.net.ssl.trustStorePassword=" + PASSWORD)
                .option("-Djavax.net.ssl.trustStoreType=PKCS12")
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .release(released.completeOnTimeout(null, 60, TimeUnit.SECONDS), line -> {
                    if (line.contains("events not sent")) {
                        released.complete(null);
                    }
                })
                .run(Probe.class.getName(), List.of("socket-channel-denied", "socket-denied", "await-release"));
        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.result("socket-channel-denied")).as(result.toString()).contains("Blocked by Warden");
        assertThat(result.result("socket-denied")).as(result.toString()).contains("Blocked by Warden");
        return result;
    }

    private static List<String> loggedIds(AgentJvm.Result result) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : result.violations()) {
            ids.add(JSON.readTree(line).get("id").asText());
        }
        return ids;
    }

    @Test
    void everyEventReachesTheServiceOverTls() throws Exception {
        startService("localhost");

        AgentJvm.Result result = run();

        assertThat(loggedIds(result)).as(result.toString()).hasSize(2);
        assertThat(receivedIds).as(result.toString()).containsExactlyInAnyOrderElementsOf(loggedIds(result));
        assertThat(result.lines())
                .as(result.toString())
                .filteredOn(line -> line.startsWith("{\"warden\":\"error\""))
                .as("only that no policy is fetched without a public key")
                .allMatch(line -> line.contains("WARDEN_POLICY_PUBLIC_KEY is not set"));
    }

    @Test
    void aCertificateForAnotherHostIsRefusedLoudlyAndEnforcementHolds() throws Exception {
        startService("service.other.example");

        AgentJvm.Result result = run();

        assertThat(receivedIds)
                .as("nothing reaches a service whose certificate names another host")
                .isEmpty();
        assertThat(loggedIds(result)).as("the events are in the log: " + result).hasSize(2);
        assertThat(result.lines())
                .as(result.toString())
                .filteredOn(line -> line.contains("events not sent"))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("{\"warden\":\"error\"")
                        .contains("policy service: events not sent to v1/reports")
                        .contains("SSLHandshakeException")
                        .contains("localhost"));
    }
}
