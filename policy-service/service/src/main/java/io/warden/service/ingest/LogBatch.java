package io.warden.service.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * One delivery of a CloudWatch Logs subscription filter to a Lambda function, in the documented format: the event's
 * {@code awslogs.data} is the base64 of a gzip-compressed JSON object with {@code messageType}
 * ({@value #DATA_MESSAGE}, or {@value #CONTROL_MESSAGE} when CloudWatch Logs checks that the destination is
 * reachable), {@code owner} (the account), {@code logGroup}, {@code logStream}, {@code subscriptionFilters} and
 * {@code logEvents}, each with {@code id}, {@code timestamp} and {@code message}.
 */
public record LogBatch(String messageType, String owner, String logGroup, String logStream, List<LogEvent> logEvents) {

    public static final String DATA_MESSAGE = "DATA_MESSAGE";
    public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";
    /**
     * Largest decompressed payload read: well above what one delivery carries (a Lambda event is at most 1 MB of
     * base64, and CloudWatch Logs compresses text about tenfold), so that only a crafted payload is refused.
     */
    public static final int MAX_DECODED_BYTES = 32 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    public LogBatch {
        logEvents = List.copyOf(logEvents);
    }

    /** One log event: the line the function wrote, without its line end. */
    public record LogEvent(String id, long timestamp, String message) {}

    /** @throws IllegalArgumentException when the data is not a subscription payload, saying where it is not */
    public static LogBatch decode(String data) {
        if (data == null) {
            throw new IllegalArgumentException("CloudWatch Logs payload: awslogs.data is missing");
        }
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "CloudWatch Logs payload: awslogs.data is not base64: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(gunzip(compressed));
        } catch (IOException e) {
            throw new IllegalArgumentException("CloudWatch Logs payload: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("CloudWatch Logs payload: not a JSON object");
        }
        String messageType = text(root, "messageType");
        if (CONTROL_MESSAGE.equals(messageType)) {
            return new LogBatch(messageType, root.path("owner").asText(null), null, null, List.of());
        }
        if (!DATA_MESSAGE.equals(messageType)) {
            throw new IllegalArgumentException("CloudWatch Logs payload: messageType \"" + messageType
                    + "\" is neither " + DATA_MESSAGE + " nor " + CONTROL_MESSAGE);
        }
        JsonNode events = root.get("logEvents");
        if (events == null || !events.isArray()) {
            throw new IllegalArgumentException("CloudWatch Logs payload: logEvents is not an array");
        }
        List<LogEvent> logEvents = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.isObject() || !event.path("timestamp").isIntegralNumber()) {
                throw new IllegalArgumentException(
                        "CloudWatch Logs payload: logEvents[" + i + "] has no id, timestamp and message");
            }
            logEvents.add(new LogEvent(text(event, "id"), event.get("timestamp").asLong(), text(event, "message")));
        }
        return new LogBatch(
                messageType, text(root, "owner"), text(root, "logGroup"), text(root, "logStream"), logEvents);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("CloudWatch Logs payload: \"" + field + "\" is not a string");
        }
        return value.asText();
    }

    /** The gzip stream's content, refused past {@link #MAX_DECODED_BYTES}. */
    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 8);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (out.size() + n > MAX_DECODED_BYTES) {
                    throw new IOException("decompresses to more than " + MAX_DECODED_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
