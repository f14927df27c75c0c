package io.warden.probe;

import static io.warden.probe.SdkCalls.call;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.handlers.HandlerBeforeAttemptContext;
import com.amazonaws.handlers.RequestHandler2;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDB;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBAsync;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBAsyncClientBuilder;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBClientBuilder;
import com.amazonaws.services.dynamodbv2.model.AttributeValue;
import com.amazonaws.services.dynamodbv2.model.BatchGetItemRequest;
import com.amazonaws.services.dynamodbv2.model.BatchWriteItemRequest;
import com.amazonaws.services.dynamodbv2.model.ConditionCheck;
import com.amazonaws.services.dynamodbv2.model.Delete;
import com.amazonaws.services.dynamodbv2.model.DeleteItemRequest;
import com.amazonaws.services.dynamodbv2.model.Get;
import com.amazonaws.services.dynamodbv2.model.GetItemRequest;
import com.amazonaws.services.dynamodbv2.model.KeysAndAttributes;
import com.amazonaws.services.dynamodbv2.model.Put;
import com.amazonaws.services.dynamodbv2.model.PutRequest;
import com.amazonaws.services.dynamodbv2.model.QueryRequest;
import com.amazonaws.services.dynamodbv2.model.TransactGetItem;
import com.amazonaws.services.dynamodbv2.model.TransactGetItemsRequest;
import com.amazonaws.services.dynamodbv2.model.TransactWriteItem;
import com.amazonaws.services.dynamodbv2.model.TransactWriteItemsRequest;
import com.amazonaws.services.dynamodbv2.model.WriteRequest;
import com.amazonaws.services.kms.AWSKMSClientBuilder;
import com.amazonaws.services.kms.model.EncryptRequest;
import com.amazonaws.services.lambda.AWSLambdaClientBuilder;
import com.amazonaws.services.lambda.model.InvokeRequest;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.model.S3Object;
import com.amazonaws.services.secretsmanager.AWSSecretsManagerClientBuilder;
import com.amazonaws.services.secretsmanager.model.BatchGetSecretValueRequest;
import com.amazonaws.services.secretsmanager.model.GetSecretValueRequest;
import com.amazonaws.services.simplesystemsmanagement.AWSSimpleSystemsManagementClientBuilder;
import com.amazonaws.services.simplesystemsmanagement.model.GetParameterRequest;
import com.amazonaws.services.simplesystemsmanagement.model.GetParametersRequest;
import com.amazonaws.services.sns.AmazonSNSClientBuilder;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.GetQueueAttributesRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes AWS SDK for Java v1 calls through real clients (sync and async) against a local endpoint that speaks each
 * service's protocol: argument 1 is its base URL. Prints {@code CALL <name> OK|FAILED <detail>} per call, then how often
 * the overridden methods of its adversarial request and exception ran, and how often Warden's code was on the stack
 * when they did ({@code OVERRIDES sdk=N warden=N}). Used by ObservationIT.
 */
public final class SdkV1Calls {

    private static final AWSStaticCredentialsProvider CREDENTIALS =
            new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKIDPROBE", "probe-secret"));
    private static final AtomicInteger OVERRIDES_RUN = new AtomicInteger();
    private static final AtomicInteger OVERRIDES_RUN_BY_WARDEN = new AtomicInteger();

    private SdkV1Calls() {}

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        AmazonDynamoDB dynamo = configure(AmazonDynamoDBClientBuilder.standard(), endpoint, "eu-west-1")
                .build();
        AmazonDynamoDBAsync dynamoAsync = configure(AmazonDynamoDBAsyncClientBuilder.standard(), endpoint, "eu-west-1")
                .build();
        AmazonDynamoDB forgingDynamo = configure(AmazonDynamoDBClientBuilder.standard(), endpoint, "eu-west-1")
                .withRequestHandlers(new ForgedFailure())
                .build();
        AmazonS3 s3 = configure(AmazonS3ClientBuilder.standard(), endpoint, "eu-central-1")
                .withPathStyleAccessEnabled(true)
                .build();
        Map<String, AttributeValue> key = Map.of("id", new AttributeValue("1"));
        call("dynamodb-get", () -> dynamo.getItem(new GetItemRequest("orders", key)));
        call(
                "dynamodb-get-again",
                () -> dynamo.getItem(new GetItemRequest("orders", Map.of("id", new AttributeValue("2")))));
        call("dynamodb-put-missing", () -> dynamo.putItem("missing", key));
        call(
                "dynamodb-query-index",
                () -> dynamo.query(new QueryRequest("orders")
                        .withIndexName("by-customer")
                        .withKeyConditionExpression("customer = :c")
                        .withExpressionAttributeValues(Map.of(":c", new AttributeValue("c-1")))));
        call(
                "dynamodb-batch-get",
                () -> dynamo.batchGetItem(new BatchGetItemRequest(Map.of(
                        "orders", new KeysAndAttributes().withKeys(key),
                        "customers", new KeysAndAttributes().withKeys(key)))));
        call(
                "dynamodb-batch-write",
                () -> dynamo.batchWriteItem(new BatchWriteItemRequest(Map.of(
                        "orders", List.of(new WriteRequest(new PutRequest(key))),
                        "audit", List.of(new WriteRequest(new PutRequest(key)))))));
        call(
                "dynamodb-transact-write",
                () -> dynamo.transactWriteItems(new TransactWriteItemsRequest()
                        .withTransactItems(
                                new TransactWriteItem()
                                        .withPut(new Put()
                                                .withTableName("orders")
                                                .withItem(key)),
                                new TransactWriteItem()
                                        .withConditionCheck(new ConditionCheck()
                                                .withTableName("customers")
                                                .withKey(key)
                                                .withConditionExpression("attribute_exists(id)")),
                                new TransactWriteItem()
                                        .withDelete(new Delete()
                                                .withTableName("orders")
                                                .withKey(key)))));
        call(
                "dynamodb-transact-get",
                () -> dynamo.transactGetItems(new TransactGetItemsRequest()
                        .withTransactItems(new TransactGetItem()
                                .withGet(new Get().withTableName("invoices").withKey(key)))));
        call(
                "dynamodb-batch-write-forged-map",
                () -> dynamo.batchWriteItem(new BatchWriteItemRequest(
                        new ForgedMap(Map.of("secret-table", List.of(new WriteRequest(new PutRequest(key))))))));
        call(
                "dynamodb-async-get",
                () -> dynamoAsync
                        .getItemAsync(new GetItemRequest("invoices", key))
                        .get(60, TimeUnit.SECONDS));
        call("dynamodb-get-forged-request", () -> dynamo.getItem(new ForgedGetItemRequest(key)));
        call("dynamodb-delete-forged-failure", () -> forgingDynamo.deleteItem(new DeleteItemRequest("orders", key)));
        call("s3-put", () -> s3.putObject("invoices", "eu/2026/8f3a9c2e-0d1e.json", "{}"));
        call("s3-get", () -> {
            try (S3Object object = s3.getObject("invoices", "eu/report.csv")) {
                return object.getObjectContent().readAllBytes();
            }
        });
        call("s3-get-missing", () -> s3.getObject("invoices", "missing.csv"));
        String queue = endpoint + "/123456789012/orders";
        call(
                "sqs-attributes",
                () -> configure(AmazonSQSClientBuilder.standard(), endpoint, "us-east-1")
                        .build()
                        .getQueueAttributes(new GetQueueAttributesRequest(queue).withAttributeNames("All")));
        call(
                "sns-publish",
                () -> configure(AmazonSNSClientBuilder.standard(), endpoint, "us-east-1")
                        .build()
                        .publish("arn:aws:sns:us-east-1:123456789012:events", "hello"));
        call(
                "secrets-get",
                () -> configure(AWSSecretsManagerClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .getSecretValue(new GetSecretValueRequest().withSecretId("prod/db")));
        call(
                "secrets-batch-get",
                () -> configure(AWSSecretsManagerClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .batchGetSecretValue(new BatchGetSecretValueRequest().withSecretIdList("prod/db", "prod/api")));
        call(
                "ssm-get-parameters",
                () -> configure(AWSSimpleSystemsManagementClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .getParameters(new GetParametersRequest().withNames("/orders/table", "/orders/queue")));
        call(
                "ssm-get",
                () -> configure(AWSSimpleSystemsManagementClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .getParameter(new GetParameterRequest().withName("/orders/table")));
        call(
                "lambda-invoke",
                () -> configure(AWSLambdaClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .invoke(new InvokeRequest().withFunctionName("billing")));
        call(
                "kms-encrypt",
                () -> configure(AWSKMSClientBuilder.standard(), endpoint, "eu-west-1")
                        .build()
                        .encrypt(new EncryptRequest()
                                .withKeyId("alias/orders")
                                .withPlaintext(ByteBuffer.wrap("secret".getBytes(StandardCharsets.UTF_8)))));
        dynamoAsync.shutdown();
        System.out.println("OVERRIDES sdk=" + OVERRIDES_RUN.get() + " warden=" + OVERRIDES_RUN_BY_WARDEN.get());
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, String endpoint, String region) {
        return builder.withEndpointConfiguration(new EndpointConfiguration(endpoint, region))
                .withCredentials(CREDENTIALS);
    }

    /**
     * An overridden method of the function's object ran: counted, and when Warden's code is on the stack (it called
     * it), it throws as a hostile object would.
     */
    private static void overrideRuns() {
        OVERRIDES_RUN.incrementAndGet();
        boolean byWarden = StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(frame -> frame.getClassName().startsWith("io.warden.agent.")
                        || frame.getClassName().equals("java.lang.WardenGate")));
        if (byWarden) {
            OVERRIDES_RUN_BY_WARDEN.incrementAndGet();
            throw new IllegalStateException("an overridden method of the function's ran under Warden");
        }
    }

    /**
     * A request of the function's making: its field names a table the call never touches, and its getter, which the
     * SDK marshals from, names the one it does.
     */
    private static final class ForgedGetItemRequest extends GetItemRequest {
        ForgedGetItemRequest(Map<String, AttributeValue> key) {
            super.setTableName("secret-table");
            super.setKey(key);
        }

        @Override
        public String getTableName() {
            overrideRuns();
            return "orders";
        }
    }

    /**
     * A map of the function's making, which the SDK keeps as the batch's items: it marshals from its entries, while its
     * key set names a table the call never touches.
     */
    private static final class ForgedMap extends HashMap<String, List<WriteRequest>> {
        ForgedMap(Map<String, List<WriteRequest>> items) {
            super(Map.of("orders", items.values().iterator().next()));
        }

        @Override
        public Set<String> keySet() {
            overrideRuns();
            return Set.of("secret-table");
        }
    }

    /** A service exception of the function's making, whose error code lies. */
    private static final class ForgedServiceException extends AmazonServiceException {
        ForgedServiceException() {
            super("forged");
            setErrorCode("AccessDeniedException");
        }

        @Override
        public String getErrorCode() {
            overrideRuns();
            return "ThrottlingException";
        }
    }

    /** A request handler of the function's that fails every call with its own exception. */
    private static final class ForgedFailure extends RequestHandler2 {
        @Override
        public void beforeAttempt(HandlerBeforeAttemptContext context) {
            throw new ForgedServiceException();
        }
    }
}
