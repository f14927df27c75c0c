package io.warden.compat.sdk;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbBaseClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * What every DynamoDB handler does with its client: writes an item and reads it back. The endpoint, table, region and
 * credentials come from the function's configuration (environment), as a deployed function's would.
 */
final class Items {

    static final String TABLE = System.getenv().getOrDefault("COMPAT_TABLE", "compat");

    private Items() {}

    static <B extends DynamoDbBaseClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(URI.create(System.getenv("COMPAT_DYNAMODB_ENDPOINT")))
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(credentials());
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("compat", "compat"));
    }

    static String roundTrip(DynamoDbClient client, String id, String value) {
        client.putItem(put -> put.tableName(TABLE).item(item(id, value)));
        return describe(client.getItem(get -> get.tableName(TABLE).key(key(id)).consistentRead(true)));
    }

    static String roundTrip(DynamoDbAsyncClient client, String id, String value) {
        CompletableFuture<GetItemResponse> read = client.putItem(
                        put -> put.tableName(TABLE).item(item(id, value)))
                .thenCompose(written ->
                        client.getItem(get -> get.tableName(TABLE).key(key(id)).consistentRead(true)));
        return describe(read.join());
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("id", AttributeValue.fromS(id), "value", AttributeValue.fromS(value));
    }

    private static String describe(GetItemResponse read) {
        return read.item().get("id").s() + " = " + read.item().get("value").s();
    }
}
