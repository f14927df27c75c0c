package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB on the SDK's URLConnection HTTP client. */
public class UrlConnectionFunction implements RequestHandler<Map<String, String>, String> {

    private final DynamoDbClient client = Items.configure(DynamoDbClient.builder())
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return Items.roundTrip(client, "url-connection", event.get("value"));
    }
}
