package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** DynamoDB on the SDK's CRT-based asynchronous HTTP client (aws-crt's JNI library, extracted to /tmp). */
public class CrtHttpFunction implements RequestHandler<Map<String, String>, String> {

    private final DynamoDbAsyncClient client = Items.configure(DynamoDbAsyncClient.builder())
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .build();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return Items.roundTrip(client, "crt", event.get("value"));
    }
}
