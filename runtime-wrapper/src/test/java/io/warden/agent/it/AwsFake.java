package io.warden.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A loopback endpoint that answers AWS SDK clients (v2 and v1) in each service's own wire protocol, as the services
 * answer the calls {@code io.warden.probe.SdkCalls} and {@code SdkV1Calls} make: JSON protocols by {@code X-Amz-Target}
 * (DynamoDB, its batches and transactions included, SQS, Secrets Manager, SSM, KMS), SNS's query protocol, Lambda's and
 * S3's REST protocols (S3 path-style). A DynamoDB table {@code missing} (a batch write naming it too) and an S3 key
 * {@code missing.csv} fail with the service's own error.
 */
final class AwsFake implements AutoCloseable {

    private static final String NOT_FOUND =
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                    + "\"message\":\"Requested resource not found\"}";

    private final HttpServer server;

    AwsFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange);
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String path = exchange.getRequestURI().getPath();
        if (target != null) {
            String json = "application/x-amz-json-1.0";
            switch (target) {
                case "DynamoDB_20120810.GetItem" -> send(exchange, 200, json, "{\"Item\":{\"id\":{\"S\":\"1\"}}}");
                case "DynamoDB_20120810.Query", "DynamoDB_20120810.Scan" ->
                    send(exchange, 200, json, "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}");
                case "DynamoDB_20120810.BatchWriteItem" -> {
                    if (body.contains("\"missing\"")) {
                        send(exchange, 400, json, NOT_FOUND);
                    } else {
                        send(exchange, 200, json, "{\"UnprocessedItems\":{}}");
                    }
                }
                case "DynamoDB_20120810.BatchGetItem" ->
                    send(exchange, 200, json, "{\"Responses\":{},\"UnprocessedKeys\":{}}");
                case "DynamoDB_20120810.TransactWriteItems" -> send(exchange, 200, json, "{}");
                case "DynamoDB_20120810.TransactGetItems" -> send(exchange, 200, json, "{\"Responses\":[]}");
                case "DynamoDB_20120810.PutItem" -> send(exchange, 400, json, NOT_FOUND);
                case "AmazonSQS.GetQueueAttributes" -> send(exchange, 200, json, "{\"Attributes\":{}}");
                case "secretsmanager.GetSecretValue" ->
                    send(exchange, 200, "application/x-amz-json-1.1", "{\"Name\":\"prod/db\",\"SecretString\":\"s\"}");
                case "secretsmanager.BatchGetSecretValue" ->
                    send(exchange, 200, "application/x-amz-json-1.1", "{\"SecretValues\":[],\"Errors\":[]}");
                case "AmazonSSM.GetParameters" ->
                    send(exchange, 200, "application/x-amz-json-1.1", "{\"Parameters\":[],\"InvalidParameters\":[]}");
                case "AmazonSSM.GetParameter" ->
                    send(
                            exchange,
                            200,
                            "application/x-amz-json-1.1",
                            "{\"Parameter\":{\"Name\":\"/orders/table\",\"Value\":\"orders\",\"Type\":\"String\"}}");
                case "TrentService.Encrypt" ->
                    send(
                            exchange,
                            200,
                            "application/x-amz-json-1.1",
                            "{\"CiphertextBlob\":\"Y2lwaGVy\",\"KeyId\":\"arn:aws:kms:eu-west-1:123456789012:key/1\"}");
                default -> send(exchange, 400, json, "{\"__type\":\"UnknownOperationException\"}");
            }
        } else if (body.contains("Action=Publish")) {
            send(
                    exchange,
                    200,
                    "text/xml",
                    "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                            + "<MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId>"
                            + "</ResponseMetadata></PublishResponse>");
        } else if (path.startsWith("/2015-03-31/functions/")) {
            send(exchange, 200, "application/json", "{}");
        } else if (path.endsWith("/missing.csv")) {
            send(
                    exchange,
                    404,
                    "application/xml",
                    "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
        } else if (exchange.getRequestMethod().equals("PUT")) {
            send(exchange, 200, "application/xml", "");
        } else {
            send(exchange, 200, "application/octet-stream", "data");
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "r-1");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
