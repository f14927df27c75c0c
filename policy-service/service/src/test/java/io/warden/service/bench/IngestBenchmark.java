package io.warden.service.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of report ingestion (a benchmark, not a test; see docs/benchmarks.md). It starts {@code bin/warden
 * serve} on a fresh data directory and a free loopback port, then
 * <ol>
 *   <li>sustained ingest: {@code --threads} clients send reports of {@code --batch} events back to back for
 *       {@code --seconds};</li>
 *   <li>latency: {@code --rate} reports per second of {@code --rate-batch} events, sent on a fixed schedule for
 *       {@code --seconds} (latency counted from each request's scheduled time, so a stall is not hidden);</li>
 *   <li>slow clients: {@code --slowloris} connections from {@code --slowloris-from} each send a request head a byte a
 *       second and never finish it (reconnecting whenever the service closes them), while {@code --slow-rate}
 *       requests per second (health, signing key, reports of 10 events in turn) leave on a fixed schedule from
 *       another address; it counts the requests answered 2xx within 1 s;</li>
 * </ol>
 * ({@code --threads 0}, {@code --rate 0} or {@code --slowloris 0} skips a phase) and finally checks with the service's
 * own counters that every event sent was stored exactly once. It uses the JDK only, so it runs from source:
 * {@code java policy-service/service/src/test/java/io/warden/service/bench/IngestBenchmark.java}.
 */
public final class IngestBenchmark {

    private static final String FUNCTION = "bench";
    private static final int WARM_UP_REPORTS = 2_000;
    private static final Pattern LISTENING = Pattern.compile("warden serve: listening on (\\S+)");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicLong nextEventId = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private String baseUrl;
    private String reporterToken;

    public static void main(String[] args) throws Exception {
        int threads = intOption(args, "--threads", 8);
        int batch = intOption(args, "--batch", 100);
        int rate = intOption(args, "--rate", 1_000);
        int rateBatch = intOption(args, "--rate-batch", 10);
        int seconds = intOption(args, "--seconds", 20);
        int connections = intOption(args, "--connections", 64);
        int slowloris = intOption(args, "--slowloris", 200);
        String slowlorisFrom = stringOption(args, "--slowloris-from", "127.0.0.2");
        int slowRate = intOption(args, "--slow-rate", 200);
        Path root = Path.of(stringOption(args, "--root", "."));
        IngestBenchmark benchmark = new IngestBenchmark();
        benchmark.run(root, threads, batch, rate, rateBatch, seconds, connections, slowloris, slowlorisFrom, slowRate);
    }

    private void run(
            Path root,
            int threads,
            int batch,
            int rate,
            int rateBatch,
            int seconds,
            int connections,
            int slowloris,
            String slowlorisFrom,
            int slowRate)
            throws Exception {
        Path dataDirectory = Files.createTempDirectory("warden-bench-");
        Process server = new ProcessBuilder(
                        root.resolve("bin/warden").toString(),
                        "serve",
                        "--port",
                        "0",
                        "--data-dir",
                        dataDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            for (String line; baseUrl == null && (line = out.readLine()) != null; ) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    baseUrl = listening.group(1);
                }
            }
            if (baseUrl == null) {
                throw new IllegalStateException("warden serve did not start");
            }
            String admin =
                    Files.readString(dataDirectory.resolve("admin-token")).trim();
            HttpResponse<String> minted =
                    send(post("/v1/tokens", admin, "{\"role\":\"reporter\",\"function\":\"" + FUNCTION + "\"}"));
            reporterToken = minted.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");

            long warmUpEvents = warmUp();
            long sustainedEvents = threads == 0 ? 0 : sustained(threads, batch, seconds);
            long rateEvents = rate == 0 ? 0 : fixedRate(rate, rateBatch, seconds, connections);
            long slowEvents = slowloris == 0 ? 0 : underSlowloris(slowloris, slowlorisFrom, slowRate, seconds);
            verify(admin, nextEventId.get(), warmUpEvents + sustainedEvents + rateEvents + slowEvents);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            server.destroyForcibly();
            try (var files = Files.walk(dataDirectory)) {
                files.sorted((a, b) -> b.compareTo(a))
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private long warmUp() {
        long acknowledged = 0;
        for (int i = 0; i < WARM_UP_REPORTS; i++) {
            if (checkAccepted(send(post("/v1/reports", reporterToken, report(10))), 10)) {
                acknowledged += 10;
            }
        }
        return acknowledged;
    }

    /** Closed loop: each thread sends its next report as soon as the previous one is acknowledged. */
    private long sustained(int threads, int batch, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong events = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(CompletableFuture.runAsync(
                    () -> {
                        while (System.nanoTime() < end) {
                            HttpResponse<String> response = send(post("/v1/reports", reporterToken, report(batch)));
                            if (checkAccepted(response, batch)) {
                                events.addAndGet(batch);
                            }
                        }
                    },
                    pool));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf(
                Locale.ROOT,
                "sustained ingest: %d clients, %d events per report: %.0f events/s (%d events in %.1f s)%n",
                threads,
                batch,
                events.get() / elapsed,
                events.get(),
                elapsed);
        return events.get();
    }

    /** Reports of {@code batch} events at {@code rate} per second, paced ({@link #paced}). */
    private long fixedRate(int rate, int batch, int seconds, int connections) throws Exception {
        int total = rate * seconds;
        AtomicLong events = new AtomicLong();
        long start = System.nanoTime() + PACED_START_NANOS;
        long[] latencyMicros = paced(total, rate, connections, (i, connection) -> {
            String answer = connection.post("/v1/reports", reporterToken, report(batch));
            if (checkAccepted(connection.status, answer, batch)) {
                events.addAndGet(batch);
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencyMicros);
        System.out.printf(
                Locale.ROOT,
                "fixed rate: %d reports/s of %d events over %d connections for %d s (achieved "
                        + "%.0f reports/s): latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                rate,
                batch,
                connections,
                seconds,
                total / elapsed,
                percentile(latencyMicros, 50),
                percentile(latencyMicros, 90),
                percentile(latencyMicros, 99),
                latencyMicros[total - 1] / 1000.0);
        return events.get();
    }

    /**
     * Slowloris: {@code attackers} connections each trickle an endless request head, a byte a second per connection,
     * reconnecting as soon as the service closes one; meanwhile {@code rate} requests per second leave on a fixed
     * schedule over 16 kept-alive connections from the default address. A request counts as served when it is
     * answered 2xx within 1 s of its scheduled time.
     */
    private long underSlowloris(int attackers, String from, int rate, int seconds) throws Exception {
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicLong reconnects = new AtomicLong();
        URI base = URI.create(baseUrl);
        InetSocketAddress service = new InetSocketAddress(base.getHost(), base.getPort());
        InetSocketAddress attacker = new InetSocketAddress(InetAddress.getByName(from), 0);
        Thread slowloris = new Thread(() -> {
            byte[] head = ("GET /healthz HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nX-Slow: ")
                    .getBytes(StandardCharsets.US_ASCII);
            SocketChannel[] held = new SocketChannel[attackers];
            int[] sent = new int[attackers];
            ByteBuffer sink = ByteBuffer.allocate(4096);
            try {
                while (attacking.get()) {
                    for (int i = 0; i < attackers; i++) {
                        try {
                            if (held[i] == null) {
                                held[i] = SocketChannel.open().bind(attacker);
                                held[i].connect(service);
                                held[i].configureBlocking(false);
                                sent[i] = 0;
                            }
                            sink.clear();
                            if (held[i].read(sink) < 0) {
                                throw new IOException("closed by the service");
                            }
                            byte next = sent[i] < head.length ? head[sent[i]] : (byte) 'a';
                            held[i].write(ByteBuffer.wrap(new byte[] {next}));
                            sent[i]++;
                        } catch (IOException closed) {
                            reconnects.incrementAndGet();
                            closeQuietly(held[i]);
                            held[i] = null;
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
            } finally {
                for (SocketChannel channel : held) {
                    closeQuietly(channel);
                }
            }
        });
        slowloris.start();
        // Let every attacking connection open and start its head before the measured requests.
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
        int total = rate * seconds;
        int[] status = new int[total];
        AtomicLong events = new AtomicLong();
        long[] latencyMicros = paced(total, rate, 16, (i, connection) -> {
            String body = i % 3 == 2 ? report(10) : null;
            String answer = body == null
                    ? connection.send("GET", i % 3 == 0 ? "/healthz" : "/v1/signing-key", reporterToken, null)
                    : connection.send("POST", "/v1/reports", reporterToken, body);
            status[i] = connection.status;
            if (body != null && checkAccepted(connection.status, answer, 10)) {
                events.addAndGet(10);
            }
        });
        long served = 0;
        for (int i = 0; i < total; i++) {
            if (status[i] / 100 == 2 && latencyMicros[i] <= 1_000_000) {
                served++;
            }
        }
        attacking.set(false);
        slowloris.join();
        Arrays.sort(latencyMicros);
        System.out.printf(
                Locale.ROOT,
                "slow clients: %d slowloris connections from %s (closed by the service and "
                        + "reopened %d times), %d requests/s for %d s: %.2f %% answered 2xx within 1 s; latency p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms%n",
                attackers,
                from,
                reconnects.get(),
                rate,
                seconds,
                100.0 * served / total,
                percentile(latencyMicros, 50),
                percentile(latencyMicros, 99),
                latencyMicros[total - 1] / 1000.0);
        return events.get();
    }

    /** The paced requests' schedule starts this long after their threads are made. */
    private static final long PACED_START_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** One scheduled request, sent on its connection. */
    private interface PacedRequest {
        void send(int i, RawConnection connection) throws IOException;
    }

    /**
     * Open loop: {@code total} requests leave on a fixed schedule ({@code rate} per second) whatever the answers do,
     * spread over {@code connections} kept-alive connections (as agents keep theirs), request i on connection i mod
     * connections. A plain socket client, so that the generator costs little of the CPU it shares with the service.
     *
     * @return each request's latency from its scheduled time to its answer (or failure), in microseconds, by index
     */
    private long[] paced(int total, int rate, int connections, PacedRequest request) throws InterruptedException {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] latencyMicros = new long[total];
        URI base = URI.create(baseUrl);
        long start = System.nanoTime() + PACED_START_NANOS;
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            Thread sender = new Thread(() -> {
                RawConnection connection = null;
                for (int i = first; i < total; i += connections) {
                    long scheduled = start + i * intervalNanos;
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        if (connection == null) {
                            connection = new RawConnection(base.getHost(), base.getPort());
                        }
                        request.send(i, connection);
                    } catch (IOException e) {
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println("request failed: " + e);
                        }
                        connection = null;
                    }
                    latencyMicros[i] = (System.nanoTime() - scheduled) / 1_000;
                }
                if (connection != null) {
                    connection.close();
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        return latencyMicros;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Done with it anyway.
            }
        }
    }

    /** One kept-alive HTTP/1.1 connection that sends a request and reads its answer (Content-Length bodies only). */
    private static final class RawConnection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        int status;

        RawConnection(String host, int port) throws IOException {
            this.socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.host = host + ":" + port;
        }

        String post(String path, String token, String body) throws IOException {
            return send("POST", path, token, body);
        }

        /** Sends a request (a JSON body, or none when null) and reads its answer. */
        String send(String method, String path, String token, String body) throws IOException {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + (body == null ? "" : "\r\nContent-Type: application/json\r\nContent-Length: " + content.length)
                    + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
            System.arraycopy(content, 0, request, headBytes.length, content.length);
            out.write(request);
            out.flush();
            String statusLine = line();
            status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = 0;
            for (String header; !(header = line()).isEmpty(); ) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed by the service");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Done with it anyway.
            }
        }
    }

    /**
     * Nothing lost: every acknowledged event is stored, once. Requests that failed (refused, or timed out under
     * overload) count as errors; the events of a request that timed out may still have been stored.
     */
    private void verify(String admin, long sent, long acknowledged) {
        String metrics = send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                        .header("Authorization", "Bearer " + admin)
                        .GET())
                .body();
        long stored = counter(metrics, "warden_events_accepted_total");
        long duplicates = counter(metrics, "warden_events_duplicate_total");
        String functions = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/functions"))
                        .header("Authorization", "Bearer " + admin)
                        .GET())
                .body();
        long inventory = Long.parseLong(functions.replaceAll("(?s).*\"blocked\":(\\d+).*", "$1"));
        System.out.printf(
                Locale.ROOT,
                "check: %d events sent, %d acknowledged, %d stored (inventory count %d), "
                        + "%d duplicates, %d failed requests%n",
                sent,
                acknowledged,
                stored,
                inventory,
                duplicates,
                errors.get());
        metrics.lines()
                .filter(line -> line.startsWith("warden_http_refused_total"))
                .forEach(line -> System.out.println("service: " + line));
        if (stored < acknowledged || inventory != stored || duplicates != 0) {
            throw new IllegalStateException("acknowledged events were lost or stored twice");
        }
        if (errors.get() != 0) {
            throw new IllegalStateException(errors.get() + " requests failed");
        }
    }

    private static long counter(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in /metrics");
        }
        return Long.parseLong(matcher.group(1));
    }

    private boolean checkAccepted(HttpResponse<String> response, int events) {
        return checkAccepted(response.statusCode(), response.body(), events);
    }

    private boolean checkAccepted(int status, String body, int events) {
        if (status != 202
                || !body.equals("{\"accepted\":" + events + ",\"duplicates\":0}")
                        && !body.equals("{\"duplicates\":0,\"accepted\":" + events + "}")) {
            errors.incrementAndGet();
            System.err.println("unexpected answer " + status + ": " + body);
            return false;
        }
        return true;
    }

    private String report(int events) {
        StringBuilder body = new StringBuilder(events * 260 + 100);
        body.append("{\"function\":\"")
                .append(FUNCTION)
                .append("\",\"agentVersion\":\"bench\",\"mode\":\"block\",\"events\":[");
        for (int i = 0; i < events; i++) {
            long id = nextEventId.incrementAndGet();
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"warden\":\"violation\",\"id\":\"bench-")
                    .append(id)
                    .append("\",\"time\":\"2024-05-01T12:00:00.000Z\",\"function\":\"")
                    .append(FUNCTION)
                    .append("\",\"category\":\"network\",\"operation\":\"connect\",\"target\":\"evil.example:443\",")
                    .append("\"action\":\"blocked\",\"rule\":\"network.allow (no match)\",")
                    .append(
                            "\"caller\":\"com.example.Handler.handle(Handler.java:42)\",\"count\":1,\"requestId\":\"req-")
                    .append(id)
                    .append("\",\"phase\":\"invoke\",\"mode\":\"block\"}");
        }
        return body.append("]}").toString();
    }

    private HttpRequest.Builder post(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sortedMicros, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, index)] / 1000.0;
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(stringOption(args, name, Integer.toString(fallback)));
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
