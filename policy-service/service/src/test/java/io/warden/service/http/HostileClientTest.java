package io.warden.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.service.LocalService;
import io.warden.service.api.ServiceClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and hostile clients against {@code warden serve}'s server, over real sockets on loopback: connections that send
 * a request head a byte at a time, bodies that never finish, more connections than one client may hold, malformed
 * requests, floods of guessed credentials, bodies that would hold more memory than the server gives them. The attackers connect from 127.0.0.2 and 127.0.0.3, the well-behaved clients from 127.0.0.1.
 */
class HostileClientTest {

    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Far more than any loaded machine needs for a request on loopback, far less than the attackers hold on. */
    static final long PROMPT_MILLIS = 5_000;

    @TempDir
    Path dataDirectory;

    LocalService service;
    ServiceClient client;
    String admin;
    final List<Socket> sockets = new ArrayList<>();

    void start(ServerLimits limits) throws IOException {
        service = LocalService.start(
                dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, limits);
        client = new ServiceClient(service.baseUrl());
        admin = service.adminToken();
    }

    static ServerLimits limits(int perClient) {
        return limits(perClient, BODY_TIMEOUT);
    }

    static ServerLimits limits(int perClient, Duration bodyTimeout) {
        return new ServerLimits(
                4_096,
                perClient,
                HEAD_TIMEOUT,
                bodyTimeout,
                1L << 40,
                IDLE_TIMEOUT,
                4,
                4,
                64,
                ServerLimits.DEFAULT.maxBufferedBodyBytes(),
                ServerLimits.DEFAULT.maxAuthFailures(),
                ServerLimits.DEFAULT.authFailureWindow());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (service != null) {
            service.close();
        }
    }

    Socket connectFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(),
                        Integer.parseInt(
                                service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1))),
                5_000);
        return socket;
    }

    /** Reads until the server closes the connection; returns what it sent, or fails if it stays open too long. */
    static String readUntilClosed(Socket socket, long withinMillis) throws IOException {
        socket.setSoTimeout((int) withinMillis);
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError(
                    "the server kept the connection open for " + withinMillis + " ms; it sent: " + answer);
        } catch (IOException reset) {
            // Closed with a reset: closed all the same.
        }
        return answer.toString();
    }

    void assertPromptlyHealthy() {
        long start = System.nanoTime();
        HttpResponse<String> health = client.get("/healthz", null);
        HttpResponse<String> violations = client.get("/v1/violations", admin);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(violations.statusCode()).isEqualTo(200);
        assertThat(millis).as("two requests while attackers hold connections").isLessThan(PROMPT_MILLIS);
    }

    @Test
    void idleAndByteAtATimeHeadsStarveNobodyAndAreClosedAtTheHeadTimeout() throws Exception {
        start(limits(256));
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Socket socket = connectFrom("127.0.0.2");
            socket.getOutputStream()
                    .write(
                            i % 2 == 0
                                    ? "G".getBytes(StandardCharsets.US_ASCII)
                                    : "GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            idle.add(socket);
        }
        assertPromptlyHealthy();
        long start = System.nanoTime();
        for (Socket socket : idle) {
            readUntilClosed(socket, HEAD_TIMEOUT.toMillis() * 2 + PROMPT_MILLIS);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(HEAD_TIMEOUT.multipliedBy(2).plusMillis(PROMPT_MILLIS));
        assertPromptlyHealthy();
    }

    @Test
    void aHeadTrickledAByteASecondIsClosedAtTheHeadTimeoutThoughNeverIdle() throws Exception {
        start(limits(256));
        Socket socket = connectFrom("127.0.0.2");
        OutputStream out = socket.getOutputStream();
        long start = System.nanoTime();
        byte[] head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
        boolean closed = false;
        for (int i = 0; i < head.length && !closed; i++) {
            try {
                out.write(head[i]);
                out.flush();
                socket.setSoTimeout(500);
                closed = socket.getInputStream().read() < 0;
            } catch (SocketTimeoutException stillOpen) {
                // Not closed yet: the next byte.
            } catch (IOException reset) {
                closed = true;
            }
        }
        assertThat(closed).as("closed before the head was complete").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEAD_TIMEOUT.plusMillis(PROMPT_MILLIS));
    }

    @Test
    void aBodyThatNeverFinishesIsClosedAtTheBodyTimeoutAndStoresNothing() throws Exception {
        start(limits(256));
        String reporter = client.reporterToken(admin, "orders");
        Socket socket = connectFrom("127.0.0.2");
        socket.getOutputStream()
                .write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Authorization: Bearer " + reporter
                                + "\r\nContent-Length: 1000\r\n\r\n{\"function\":\"orders\",")
                        .getBytes(StandardCharsets.US_ASCII));
        assertPromptlyHealthy();
        readUntilClosed(socket, BODY_TIMEOUT.toMillis() + HEAD_TIMEOUT.toMillis() + PROMPT_MILLIS);
        assertThat(ServiceClient.json(client.get("/v1/functions", admin).body()).get("functions"))
                .isEmpty();
        assertThat(client.get("/metrics", admin).body())
                .contains("warden_http_refused_total{reason=\"body_timeout\"} 1");
    }

    @Test
    void aClientPastItsConnectionLimitIsRefusedWhileOthersAreServed() throws Exception {
        start(limits(8));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(connectFrom("127.0.0.3"));
        }
        // Each connection is accepted in turn; make sure the eight are counted before the ninth comes.
        for (Socket socket : held) {
            socket.getOutputStream().write('G');
        }
        Socket ninth = connectFrom("127.0.0.3");
        readUntilClosed(ninth, PROMPT_MILLIS);
        assertPromptlyHealthy();
    }

    @Test
    void malformedRequestsGetTheApisJsonErrorNotAnHtmlPage() throws Exception {
        start(limits(256));
        String reporter = client.reporterToken(admin, "orders");
        // A chunk of 2^31 bytes: refused once the body passes the report's limit, not read to its end.
        Socket chunked = connectFrom("127.0.0.1");
        OutputStream out = chunked.getOutputStream();
        out.write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + reporter + "\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < 32; i++) {
                out.write(spaces);
            }
        } catch (IOException closedWhileSending) {
            // The server answered and closed before the client was done.
        }
        String answer = readUntilClosed(chunked, PROMPT_MILLIS + BODY_TIMEOUT.toMillis());
        assertThat(answer)
                .startsWith("HTTP/1.1 413")
                .contains("application/json")
                .contains("\"error\":\"payload_too_large\"");

        // A chunk size past what a long holds.
        Socket overflow = connectFrom("127.0.0.1");
        overflow.getOutputStream()
                .write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Authorization: Bearer " + reporter + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "10000000000000000000000\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        answer = readUntilClosed(overflow, PROMPT_MILLIS + BODY_TIMEOUT.toMillis());
        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");

        Socket requestLine = connectFrom("127.0.0.1");
        requestLine
                .getOutputStream()
                .write("GET /healthz HTTP/9.9 and more\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        answer = readUntilClosed(requestLine, PROMPT_MILLIS + HEAD_TIMEOUT.toMillis());
        assertThat(answer)
                .startsWith("HTTP/1.1 4")
                .contains("application/json")
                .contains("\"error\":\"")
                .doesNotContain("<html");

        Socket hugeHeader = connectFrom("127.0.0.1");
        hugeHeader
                .getOutputStream()
                .write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        answer = readUntilClosed(hugeHeader, PROMPT_MILLIS);
        assertThat(answer).startsWith("HTTP/1.1 431").contains("\"error\":\"header_fields_too_large\"");
        assertThat(ServiceClient.json(client.get("/v1/functions", admin).body()).get("functions"))
                .isEmpty();
    }

    @Test
    void aClientGuessingCredentialsIsCutOffWhileOthersAreServed() throws Exception {
        start(limits(256).withAuthFailures(5, Duration.ofSeconds(3)));
        for (int i = 0; i < 5; i++) {
            assertThat(exchange("127.0.0.2", get("/v1/violations", "wdn_guess" + i)))
                    .startsWith("HTTP/1.1 401");
        }
        String refused = exchange("127.0.0.2", get("/v1/violations", admin));
        assertThat(refused)
                .startsWith("HTTP/1.1 429")
                .contains("Retry-After: ")
                .contains("\"error\":\"too_many_requests\"")
                .contains("127.0.0.2 sent too many requests");
        assertThat(exchange("127.0.0.1", get("/v1/violations", admin))).startsWith("HTTP/1.1 200");
        assertThat(client.get("/metrics", admin).body())
                .contains("warden_http_refused_total{reason=\"auth_failures\"} 1");
        // Once the window ends the client is heard again.
        long deadline = System.nanoTime()
                + Duration.ofSeconds(3).plusMillis(PROMPT_MILLIS).toNanos();
        String answer;
        do {
            answer = exchange("127.0.0.2", get("/v1/violations", admin));
        } while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline && pause());
        assertThat(answer).startsWith("HTTP/1.1 200");
    }

    @Test
    void bodiesPastTheMemoryBudgetAreRefusedBusyAndStoreNothing() throws Exception {
        // A body timeout longer than the test: the stalled body holds its room until its client goes away.
        start(limits(256, Duration.ofMinutes(5)).withBufferedBodyBytes(1_500_000));
        String reporter = client.reporterToken(admin, "orders");
        String report = "{\"function\":\"orders\",\"events\":[]}";
        // Polled: the stalled request's head must have been admitted before this one's comes. When this one came
        // first, the stalled one was the one refused busy (its answer is waiting): it is sent again.
        Socket holding = null;
        long deadline = System.nanoTime() + Duration.ofMillis(PROMPT_MILLIS).toNanos();
        String answer;
        do {
            if (holding == null || holding.getInputStream().available() > 0) {
                if (holding != null) {
                    holding.close();
                }
                holding = holdRoomFor(reporter, 1_000_000);
            }
            answer = exchange(
                    "127.0.0.1",
                    "POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Authorization: Bearer " + reporter
                            + "\r\nConnection: close\r\nContent-Length: 600000\r\n\r\n"
                            + report + " ".repeat(600_000 - report.length()));
        } while (!answer.startsWith("HTTP/1.1 503") && System.nanoTime() < deadline && pause());
        assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After: 1").contains("\"error\":\"busy\"");
        assertPromptlyHealthy();
        // The held room is given back once the stalled client has gone (the server notes it a moment later).
        holding.close();
        deadline = System.nanoTime() + Duration.ofMillis(PROMPT_MILLIS).toNanos();
        int status;
        do {
            status = client.postJson("/v1/reports", reporter, report + " ".repeat(600_000))
                    .statusCode();
        } while (status == 503 && System.nanoTime() < deadline && pause());
        assertThat(status).isEqualTo(202);
        assertThat(client.get("/metrics", admin).body()).contains("warden_http_refused_total{reason=\"body_memory\"}");
    }

    /** Declares a body of {@code bytes} and sends none of it: the server holds room for it once it takes the head. */
    Socket holdRoomFor(String token, int bytes) throws IOException {
        Socket holding = connectFrom("127.0.0.2");
        holding.getOutputStream()
                .write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Authorization: Bearer " + token + "\r\nContent-Length: " + bytes + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return holding;
    }

    static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n";
    }

    /**
     * Sends one request (which should say {@code Connection: close}) from the local address on a new connection and
     * returns the whole answer, also when the server answers and closes before the request is all sent.
     */
    String exchange(String localAddress, String request) throws IOException {
        try (Socket socket = connectFrom(localAddress)) {
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
            } catch (IOException answeredEarly) {
                // The server refused the request on its head and closed; its answer is still to be read.
            }
            return readUntilClosed(socket, PROMPT_MILLIS);
        }
    }

    /** A short wait between polls of a state that changes with time; always true. */
    static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}
