package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB on the SDK's Apache HTTP client. */
public class ApacheClientFunction implements RequestHandler<Map<String, String>, String> {

    private final DynamoDbClient client = Items.configure(DynamoDbClient.builder())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return Items.roundTrip(client, "apache", event.get("value"));
    }
}
