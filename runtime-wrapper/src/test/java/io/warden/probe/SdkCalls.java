package io.warden.probe;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Makes AWS SDK v2 calls through real clients (sync and async; URLConnection, Apache 5 and Netty HTTP clients) against a
 * local endpoint that speaks each service's protocol: argument 1 is its base URL. Prints {@code CALL <name> OK|FAILED
 * <detail>} per call. Used by ObservationIT, which compares what the agent observed with exactly these calls.
 */
public final class SdkCalls {

    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDPROBE", "probe-secret");

    private SdkCalls() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        try (DynamoDbClient dynamo = configure(DynamoDbClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                DynamoDbAsyncClient dynamoAsync = configure(DynamoDbAsyncClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(NettyNioAsyncHttpClient.create())
                        .build();
                S3Client s3 = configure(S3Client.builder(), endpoint, Region.EU_CENTRAL_1)
                        .forcePathStyle(true)
                        .httpClient(Apache5HttpClient.create())
                        .build();
                S3AsyncClient s3Async = configure(S3AsyncClient.builder(), endpoint, Region.EU_CENTRAL_1)
                        .forcePathStyle(true)
                        .httpClient(NettyNioAsyncHttpClient.create())
                        .build();
                SqsClient sqs = configure(SqsClient.builder(), endpoint, Region.US_EAST_1)
                        .httpClient(Apache5HttpClient.create())
                        .build();
                SqsAsyncClient sqsAsync = configure(SqsAsyncClient.builder(), endpoint, Region.US_EAST_1)
                        .httpClient(NettyNioAsyncHttpClient.create())
                        .build();
                SnsClient sns = configure(SnsClient.builder(), endpoint, Region.US_EAST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                SecretsManagerClient secrets = configure(SecretsManagerClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                SsmClient ssm = configure(SsmClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(Apache5HttpClient.create())
                        .build();
                LambdaClient lambda = configure(LambdaClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                KmsClient kms = configure(KmsClient.builder(), endpoint, Region.EU_WEST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            call(
                    "dynamodb-get",
                    () -> dynamo.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("1")))));
            call(
                    "dynamodb-get-again",
                    () -> dynamo.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("2")))));
            call(
                    "dynamodb-put-missing",
                    () -> dynamo.putItem(r -> r.tableName("missing").item(Map.of("id", AttributeValue.fromS("1")))));
            call(
                    "dynamodb-async-query",
                    () -> dynamoAsync
                            .query(r -> r.tableName("orders")
                                    .keyConditionExpression("id = :id")
                                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("1"))))
                            .get(60, TimeUnit.SECONDS));
            call(
                    "s3-put",
                    () -> s3.putObject(
                            r -> r.bucket("invoices").key("eu/2026/8f3a9c2e-0d1e.json"), RequestBody.fromString("{}")));
            call(
                    "s3-get",
                    () -> s3.getObject(r -> r.bucket("invoices").key("eu/report.csv"), ResponseTransformer.toBytes()));
            call(
                    "s3-get-missing",
                    () -> s3.getObject(r -> r.bucket("invoices").key("missing.csv"), ResponseTransformer.toBytes()));
            call(
                    "s3-async-put",
                    () -> s3Async.putObject(r -> r.bucket("uploads").key("photo.jpg"), AsyncRequestBody.fromString("x"))
                            .get(60, TimeUnit.SECONDS));
            call(
                    "s3-async-get",
                    () -> s3Async.getObject(
                                    r -> r.bucket("uploads").key("photo.jpg"), AsyncResponseTransformer.toBytes())
                            .get(60, TimeUnit.SECONDS));
            String queue = endpoint + "/123456789012/orders";
            call("sqs-attributes", () -> sqs.getQueueAttributes(r -> r.queueUrl(queue)));
            call(
                    "sqs-async-attributes",
                    () -> sqsAsync.getQueueAttributes(r -> r.queueUrl(queue)).get(60, TimeUnit.SECONDS));
            call(
                    "sns-publish",
                    () -> sns.publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:events")
                            .message("hello")));
            call("secrets-get", () -> secrets.getSecretValue(r -> r.secretId("prod/db")));
            call("ssm-get", () -> ssm.getParameter(r -> r.name("/orders/table")));
            call("lambda-invoke", () -> lambda.invoke(r -> r.functionName("billing")));
            call(
                    "kms-encrypt",
                    () -> kms.encrypt(r -> r.keyId("alias/orders").plaintext(SdkBytes.fromUtf8String("secret"))));
            batchesAndIndexes(dynamo, dynamoAsync, secrets, ssm);
            functionsOwnCollections(dynamo);
        }
    }

    /** Calls that name their resources in nested members, and a query and a scan of an index. */
    private static void batchesAndIndexes(
            DynamoDbClient dynamo, DynamoDbAsyncClient dynamoAsync, SecretsManagerClient secrets, SsmClient ssm) {
        call(
                "dynamodb-batch-write",
                () -> dynamo.batchWriteItem(r -> r.requestItems(Map.of(
                        "orders", List.of(put("1")),
                        "audit", List.of(put("2"), put("3"))))));
        call(
                "dynamodb-batch-get",
                () -> dynamo.batchGetItem(r -> r.requestItems(Map.of(
                        "orders", KeysAndAttributes.builder().keys(key("1")).build(),
                        "customers", KeysAndAttributes.builder().keys(key("7")).build()))));
        call(
                "dynamodb-async-transact-write",
                () -> dynamoAsync
                        .transactWriteItems(r -> r.transactItems(
                                TransactWriteItem.builder()
                                        .put(p -> p.tableName("orders").item(key("1")))
                                        .build(),
                                TransactWriteItem.builder()
                                        .update(u -> u.tableName("stock")
                                                .key(key("sku-1"))
                                                .updateExpression("SET n = n - :one")
                                                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))
                                        .build(),
                                TransactWriteItem.builder()
                                        .conditionCheck(c -> c.tableName("customers")
                                                .key(key("7"))
                                                .conditionExpression("attribute_exists(id)"))
                                        .build(),
                                TransactWriteItem.builder()
                                        .delete(d -> d.tableName("orders").key(key("0")))
                                        .build()))
                        .get(60, TimeUnit.SECONDS));
        call(
                "dynamodb-transact-get",
                () -> dynamo.transactGetItems(r -> r.transactItems(
                        TransactGetItem.builder()
                                .get(g -> g.tableName("orders").key(key("1")))
                                .build(),
                        TransactGetItem.builder()
                                .get(g -> g.tableName("stock").key(key("sku-1")))
                                .build())));
        call(
                "dynamodb-query-index",
                () -> dynamo.query(r -> r.tableName("orders")
                        .indexName("by-customer")
                        .keyConditionExpression("customer = :c")
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("7")))));
        call("dynamodb-scan-index", () -> dynamo.scan(r -> r.tableName("stock").indexName("by-shelf")));
        call(
                "dynamodb-batch-write-missing",
                () -> dynamo.batchWriteItem(r -> r.requestItems(Map.of(
                        "missing", List.of(put("1")),
                        "orders", List.of(put("2"))))));
        Map<String, KeysAndAttributes> tooMany = new LinkedHashMap<>();
        for (int i = 0; i <= 100; i++) {
            tooMany.put("t" + i, KeysAndAttributes.builder().keys(key("1")).build());
        }
        call("dynamodb-batch-get-101-tables", () -> dynamo.batchGetItem(r -> r.requestItems(tooMany)));
        call("secrets-batch-get", () -> secrets.batchGetSecretValue(r -> r.secretIdList("prod/db", "prod/api")));
        call(
                "ssm-get-parameters",
                () -> ssm.getParameters(r -> r.names("/orders/table", "/orders/limit", "/orders/table")));
    }

    /**
     * A function that hands the SDK a map and a list of its own making, through the builder (the SDK copies them) and
     * written into the built request's own fields by reflection, inside the JDK's unmodifiable views the SDK uses:
     * the SDK itself reads them, Warden never calls them. Prints {@code OWN <name> <class the request holds> calls=N
     * warden=M}: N is every call of the collection's methods, M those made with a frame of the agent on the stack.
     */
    private static void functionsOwnCollections(DynamoDbClient dynamo) {
        Spy builderMap = new Spy(new LinkedHashMap<>(Map.of("spied", List.of(put("1")))));
        BatchWriteItemRequest copied = BatchWriteItemRequest.builder()
                .requestItems(builderMap.<Map<String, List<WriteRequest>>>as(Map.class))
                .build();
        call("dynamodb-own-map-builder", () -> dynamo.batchWriteItem(copied));
        builderMap.print("map-builder", copied.requestItems());

        Spy builderList = new Spy(new ArrayList<>(List.of(TransactGetItem.builder()
                .get(g -> g.tableName("listed").key(key("1")))
                .build())));
        TransactGetItemsRequest copiedList = TransactGetItemsRequest.builder()
                .transactItems(builderList.<List<TransactGetItem>>as(List.class))
                .build();
        call("dynamodb-own-list-builder", () -> dynamo.transactGetItems(copiedList));
        builderList.print("list-builder", copiedList.transactItems());

        Spy fieldMap = new Spy(new LinkedHashMap<>(Map.of("hidden", List.of(put("1")))));
        BatchWriteItemRequest swapped = BatchWriteItemRequest.builder()
                .requestItems(Map.of("decoy", List.of(put("1"))))
                .build();
        setField(swapped, "requestItems", Collections.unmodifiableMap(fieldMap.as(Map.class)));
        call("dynamodb-own-map-field", () -> dynamo.batchWriteItem(swapped));
        fieldMap.print("map-field", swapped.requestItems());

        Spy fieldList = new Spy(new ArrayList<>(List.of(TransactWriteItem.builder()
                .put(p -> p.tableName("hidden").item(key("1")))
                .build())));
        TransactWriteItemsRequest swappedList = TransactWriteItemsRequest.builder()
                .transactItems(TransactWriteItem.builder()
                        .put(p -> p.tableName("decoy").item(key("1")))
                        .build())
                .build();
        setField(swappedList, "transactItems", Collections.unmodifiableList(fieldList.as(List.class)));
        call("dynamodb-own-list-field", () -> dynamo.transactWriteItems(swappedList));
        fieldList.print("list-field", swappedList.transactItems());

        // The gate's reading is public: it gives the function a copy of what a view shows anyone, nothing more.
        try {
            Method contents =
                    Class.forName("java.lang.WardenGate").getMethod("unmodifiableContents", Object.class, int.class);
            Object[] shown = (Object[]) contents.invoke(null, copied.requestItems(), 10);
            shown[0] = "changed";
            System.out.println("GATE contents " + List.of(shown) + " view "
                    + copied.requestItems().keySet() + " own "
                    + contents.invoke(null, swapped.requestItems(), 10) + " more "
                    + contents.invoke(null, copied.requestItems(), 0));
        } catch (ReflectiveOperationException e) {
            System.out.println("GATE " + e);
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static WriteRequest put(String id) {
        return WriteRequest.builder().putRequest(p -> p.item(key(id))).build();
    }

    private static void setField(Object target, String name, Object value) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            field.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A collection of the function's own making (a proxy over a real one) that counts who calls it; what its methods
     * return (a key set, an iterator) is such a proxy too, counted with it, so no call through a view escapes the count.
     */
    private static final class Spy implements InvocationHandler {
        private final Object real;
        private final AtomicInteger calls;
        private final AtomicInteger byWarden;

        Spy(Object real) {
            this(real, new AtomicInteger(), new AtomicInteger());
        }

        private Spy(Object real, AtomicInteger calls, AtomicInteger byWarden) {
            this.real = real;
            this.calls = calls;
            this.byWarden = byWarden;
        }

        @SuppressWarnings("unchecked")
        <T> T as(Class<?> type) {
            return (T) Proxy.newProxyInstance(SdkCalls.class.getClassLoader(), new Class<?>[] {type}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            calls.incrementAndGet();
            if (StackWalker.getInstance()
                    .walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("io.warden.agent.")
                            || f.getClassName().startsWith("java.lang.WardenGate")))) {
                byWarden.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Class<?> type = method.getReturnType();
            return result != null && type.isInterface() && type.getClassLoader() == null
                    ? new Spy(result, calls, byWarden).as(type)
                    : result;
        }

        void print(String name, Object held) {
            System.out.println("OWN " + name + " " + held.getClass().getName() + " calls=" + calls.get() + " warden="
                    + byWarden.get());
        }
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint, Region region) {
        return builder.endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS));
    }

    /** One SDK call of a probe's. */
    interface Call {
        Object run() throws Exception;
    }

    /** Runs the call and prints {@code CALL <name> OK}, or {@code CALL <name> FAILED <exception>}. */
    static void call(String name, Call call) {
        try {
            call.run();
            System.out.println("CALL " + name + " OK");
        } catch (Exception failed) {
            System.out.println("CALL " + name + " FAILED " + failed);
        }
    }
}
