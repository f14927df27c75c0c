package io.warden.service.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * CloudWatch Logs subscription deliveries to a Lambda function in the documented format: the event is
 * {@code {"awslogs": {"data": ...}}}, the data the base64 of the gzip-compressed JSON of one batch of a log stream's
 * events, each with a 56-digit id, a timestamp and the line as written (Lambda keeps a line's end in the message).
 */
public final class CloudWatchLogsPayloads {

    public static final String OWNER = "123456789012";
    public static final String FILTER_NAME = "warden-violations";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudWatchLogsPayloads() {}

    /** A function's log stream as Lambda names them. */
    public static String lambdaLogStream() {
        return "2024/05/01/[$LATEST]94fa867e5374431291a7fc14e2f56ae7";
    }

    /** The decompressed batch: these messages, one log event each, from 2024-05-01T12:00:00Z on. */
    public static ObjectNode batch(String logGroup, String logStream, List<String> messages) {
        ObjectNode batch = JSON.createObjectNode()
                .put("messageType", "DATA_MESSAGE")
                .put("owner", OWNER)
                .put("logGroup", logGroup)
                .put("logStream", logStream);
        batch.putArray("subscriptionFilters").add(FILTER_NAME);
        ArrayNode events = batch.putArray("logEvents");
        long timestamp = 1_714_564_800_000L;
        for (int i = 0; i < messages.size(); i++) {
            events.addObject()
                    .put("id", String.format("%038d%018d", timestamp + i, 17L * i + 5))
                    .put("timestamp", timestamp + i)
                    .put("message", messages.get(i));
        }
        return batch;
    }

    /** The Lambda event delivering this batch. */
    public static String event(ObjectNode batch) {
        return event(gzip(batch.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The Lambda event delivering these compressed bytes as its data. */
    public static String event(byte[] compressed) {
        ObjectNode event = JSON.createObjectNode();
        event.putObject("awslogs").put("data", Base64.getEncoder().encodeToString(compressed));
        return event.toString();
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
