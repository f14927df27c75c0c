package io.warden.probe;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        }
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint, Region region) {
        return builder.endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS));
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void call(String name, Call call) {
        try {
            call.run();
            System.out.println("CALL " + name + " OK");
        } catch (Exception failed) {
            System.out.println("CALL " + name + " FAILED " + failed);
        }
    }
}
