package io.warden.service.sdkv1function;

import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDB;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBClientBuilder;
import com.amazonaws.services.dynamodbv2.model.AttributeValue;
import com.amazonaws.services.dynamodbv2.model.GetItemRequest;
import com.amazonaws.services.dynamodbv2.model.GetItemResult;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function whose work is one DynamoDB read of the table {@code ORDERS_TABLE} through the AWS SDK for Java v1
 * ({@code ORDERS_ENDPOINT}: the endpoint the client is configured with, signing for eu-west-1; credentials from the
 * environment). Event: {@code steps}, the names of the steps to run ({@code getOrder}). Each step reports "ok: ..." or
 * the exception it met.
 */
public class OrdersTableV1Function implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final AmazonDynamoDB orders = AmazonDynamoDBClientBuilder.standard()
            .withEndpointConfiguration(new EndpointConfiguration(System.getenv("ORDERS_ENDPOINT"), "eu-west-1"))
            .build();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        if (((List<?>) event.get("steps")).contains("getOrder")) {
            try {
                GetItemResult item = orders.getItem(
                        new GetItemRequest(System.getenv("ORDERS_TABLE"), Map.of("id", new AttributeValue("1"))));
                outcomes.put(
                        "getOrder",
                        item.getItem() == null
                                ? "ok: no order"
                                : "ok: order " + item.getItem().get("id").getS());
            } catch (RuntimeException e) {
                outcomes.put("getOrder", e.getClass().getName() + ": " + e.getMessage());
            }
        }
        return outcomes;
    }
}
