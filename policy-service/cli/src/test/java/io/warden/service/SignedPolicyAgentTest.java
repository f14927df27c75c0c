package io.warden.service;

import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.json;
import static io.warden.invoke.LambdaFixtures.testFunction;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.testfunctions.Connect;
import io.warden.service.api.ServiceClient;
import io.warden.service.api.WardenApi;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.http.HttpApiServer;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent, in a function on the real Lambda runtime client on JDK 17 and 25, against the real policy service on
 * loopback: it enforces its own function's signed policy, and refuses another function's, an expired one and one older
 * than a revision its execution environment enforced, each replayed to it as an attacker on the network would (a
 * loopback server answering with the service's own signed answer); it accepts a policy signed by any of its keys.
 *
 * <p>The service's policies allow no network; the deployed one allows the target. So the function's connect is
 * blocked when the agent took the service's policy, and goes through when it refused it and kept the deployed one.
 */
class SignedPolicyAgentTest {

    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final String DENY_NETWORK = "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[]}}";

    @TempDir
    static Path data;

    private static LocalService service;
    private static ServiceClient client;
    private static ServerSocket target;
    private static String admin;

    @BeforeAll
    static void start() throws IOException {
        service = LocalService.start(
                data.resolve("service"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        client = new ServiceClient(service.baseUrl());
        admin = service.adminToken();
        target = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    @AfterAll
    static void stop() throws IOException {
        target.close();
        service.close();
    }

    /** JDK 17 (this one) and Temurin 25; CI must have both. */
    static List<Path> jdks() {
        List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isExecutable(JDK25.resolve("bin/java"))) {
            jdks.add(JDK25);
        } else {
            assertThat(System.getenv("CI"))
                    .as("JDK 25 at " + JDK25 + " (CI runs the agent on it)")
                    .isNull();
        }
        return jdks;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void itsOwnFunctionsSignedPolicyIsEnforcedAndItsRevisionRecorded(Path jdk) throws IOException {
        String function = function("own", jdk);
        long revision = put(function, DENY_NETWORK);

        Outcome outcome =
                run(function, jdk, service.baseUrl(), service.signingKey().publicKeyBase64());

        assertThat(outcome.connect).startsWith("java.net.ConnectException: Blocked by Warden");
        assertThat(Files.readString(revisionFile(function)).trim()).isEqualTo(Long.toString(revision));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anotherFunctionsSignedPolicyIsRefused(Path jdk) throws IOException {
        String function = function("victim", jdk);
        String other = function("other", jdk);
        put(function, DENY_NETWORK);
        put(other, DENY_NETWORK);

        try (Replay replay = new Replay(signedAnswer(other))) {
            Outcome outcome =
                    run(function, jdk, replay.url(), service.signingKey().publicKeyBase64());

            assertThat(outcome.connect).as("the deployed policy stays").isEqualTo("connected");
            assertThat(outcome.log).contains("the policy is signed for function \\\"" + other + "\\\"");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aPolicyOlderThanOneThisEnvironmentEnforcedIsRefused(Path jdk) throws IOException {
        String function = function("rollback", jdk);
        put(function, DENY_NETWORK);
        Answer older = signedAnswer(function);
        long newer = put(function, DENY_NETWORK.replace("[]", "[\"10.0.0.1:1\"]"));
        Outcome first =
                run(function, jdk, service.baseUrl(), service.signingKey().publicKeyBase64());
        assertThat(first.connect).startsWith("java.net.ConnectException: Blocked by Warden");

        try (Replay replay = new Replay(older)) {
            Outcome replayed =
                    run(function, jdk, replay.url(), service.signingKey().publicKeyBase64());

            assertThat(replayed.connect).as("the deployed policy stays").isEqualTo("connected");
            assertThat(replayed.log).contains("is older than revision " + newer + " already enforced");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anExpiredSignedPolicyIsRefused(Path jdk) throws IOException {
        String function = function("expired", jdk);
        // The service's own API, on its key, signing as it would have an hour ago: a captured answer replayed now.
        try (SqliteStore store = SqliteStore.open(Files.createDirectories(data.resolve("past-" + function)))) {
            store.putPolicy(function, DENY_NETWORK, Clock.systemUTC().instant());
            WardenApi pastApi = new WardenApi(
                    store,
                    service.signingKey(),
                    request -> new Caller(Role.ADMIN, null, "test"),
                    null,
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
            try (HttpApiServer past =
                    HttpApiServer.start(pastApi, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                Outcome outcome =
                        run(function, jdk, past.baseUrl(), service.signingKey().publicKeyBase64());

                assertThat(outcome.connect).as("the deployed policy stays").isEqualTo("connected");
                assertThat(outcome.log).contains("the policy's signature expired at");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aPolicySignedByAnyOfTheAgentsKeysIsAccepted(Path jdk) throws IOException {
        String function = function("rotation", jdk);
        put(function, DENY_NETWORK);
        String next = Base64.getEncoder()
                .encodeToString(SigningKey.generate().getPublic().getEncoded());

        Outcome rotating = run(
                function,
                jdk,
                service.baseUrl(),
                next + "," + service.signingKey().publicKeyBase64());
        assertThat(rotating.connect).startsWith("java.net.ConnectException: Blocked by Warden");

        Outcome onlyTheNextKey = run(function, jdk, service.baseUrl(), next);
        assertThat(onlyTheNextKey.connect).isEqualTo("connected");
        assertThat(onlyTheNextKey.log).contains("signature does not verify");
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    /** A function name per test and JDK; its revision record starts empty, as in a new execution environment. */
    private static String function(String name, Path jdk) throws IOException {
        String function = "signed-" + name + "-" + (jdk.equals(JDK25) ? "25" : "17");
        Files.deleteIfExists(revisionFile(function));
        return function;
    }

    private static Path revisionFile(String function) {
        return Path.of("/tmp", ".warden-policy-revision-" + function);
    }

    /** Stores the function's policy; its revision. */
    private static long put(String function, String policy) {
        HttpResponse<String> put = client.putJson("/v1/policies/" + function, admin, policy);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return Long.parseLong(
                put.headers().firstValue("X-Warden-Policy-Revision").orElseThrow());
    }

    record Answer(int status, java.util.Map<String, List<String>> headers, byte[] body) {}

    /** The service's signed answer to the function's policy, as it went over the wire. */
    private static Answer signedAnswer(String function) {
        HttpResponse<byte[]> answer =
                client.sendForBytes(ServiceClient.authorized(client.request("/v1/policies/" + function), admin));
        assertThat(answer.statusCode()).isEqualTo(200);
        return new Answer(answer.statusCode(), answer.headers().map(), answer.body());
    }

    /** A loopback server that answers every request with one captured answer of the service. */
    static final class Replay implements AutoCloseable {
        private final HttpServer server;

        Replay(Answer answer) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            server.createContext("/", exchange -> {
                answer.headers().forEach((name, values) -> {
                    if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-warden-")
                            || name.equalsIgnoreCase("content-type")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    record Outcome(String connect, String log) {}

    private static Outcome run(String function, Path jdk, String serviceUrl, String publicKeys) throws IOException {
        FunctionSpec spec = withBuiltLayer(testFunction(Connect.class))
                .functionName(function)
                .javaHome(jdk)
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"network\":{\"allow\":[\"127.0.0.1:" + target.getLocalPort() + "\"]}}")
                .env("WARDEN_SERVICE_URL", serviceUrl)
                .env("WARDEN_SERVICE_TOKEN", client.reporterToken(admin, function))
                .env("WARDEN_POLICY_PUBLIC_KEY", publicKeys)
                .build();
        InvokeRun run = invoke(spec, "{\"port\":" + target.getLocalPort() + "}");
        return new Outcome(
                json(run.results().get(0).payloadText()).get("outcome").asText(), String.join("\n", run.log()));
    }
}
