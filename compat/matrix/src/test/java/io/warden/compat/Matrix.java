package io.warden.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.invoke.FunctionSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The functions of the compatibility matrix ({@code compat/}) and how each is configured to run locally: its zip,
 * handler and environment, with the loopback stand-ins for AWS it talks to. Shared by the matrix test and the cold-start
 * benchmark.
 */
final class Matrix {

    static final String TABLE = "compat-matrix";
    static final String[] EVENTS = {"{\"value\":\"order-42\"}", "{\"value\":\"order-43\"}"};

    /** Which stand-in a function's Java sockets connect to (native code's connections pass no Java hook). */
    enum Endpoint {
        NONE,
        DYNAMODB
    }

    /** A function of the matrix: its zip (a module of compat/), handler, configuration, and what it connects to. */
    record Stack(String name, String module, String handler, Map<String, String> environment, Endpoint connects) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Stack> STACKS = List.of(
            new Stack(
                    "sdk-apache",
                    "aws-sdk",
                    "io.warden.compat.sdk.ApacheClientFunction::handleRequest",
                    Map.of(),
                    Endpoint.DYNAMODB),
            new Stack(
                    "sdk-url-connection",
                    "aws-sdk",
                    "io.warden.compat.sdk.UrlConnectionFunction::handleRequest",
                    Map.of(),
                    Endpoint.DYNAMODB),
            new Stack(
                    "sdk-netty-nio",
                    "aws-sdk",
                    "io.warden.compat.sdk.NettyNioFunction::handleRequest",
                    Map.of(),
                    Endpoint.DYNAMODB),
            new Stack(
                    "sdk-netty-epoll",
                    "aws-sdk",
                    "io.warden.compat.sdk.NettyEpollFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack(
                    "sdk-crt-http",
                    "aws-sdk",
                    "io.warden.compat.sdk.CrtHttpFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack(
                    "sdk-s3-crt",
                    "aws-sdk",
                    "io.warden.compat.sdk.S3CrtFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack(
                    "powertools",
                    "powertools",
                    "io.warden.compat.powertools.PowertoolsFunction::handleRequest",
                    Map.of("POWERTOOLS_SERVICE_NAME", "compat", "POWERTOOLS_METRICS_NAMESPACE", "Compat"),
                    Endpoint.NONE),
            new Stack(
                    "spring-cloud-function",
                    "spring-cloud-function",
                    "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest",
                    Map.of("MAIN_CLASS", "io.warden.compat.spring.CompatApplication"),
                    Endpoint.NONE),
            new Stack(
                    "micronaut", "micronaut", "io.warden.compat.micronaut.MicronautFunction", Map.of(), Endpoint.NONE),
            new Stack(
                    "log4j2",
                    "logging",
                    "io.warden.compat.logging.Log4j2Function::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack(
                    "logback",
                    "logging",
                    "io.warden.compat.logging.LogbackFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack(
                    "sqlite-jdbc",
                    "jni",
                    "io.warden.compat.jni.SqliteFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE),
            new Stack("zstd-jni", "jni", "io.warden.compat.jni.ZstdFunction::handleRequest", Map.of(), Endpoint.NONE),
            new Stack(
                    "snappy-java",
                    "jni",
                    "io.warden.compat.jni.SnappyFunction::handleRequest",
                    Map.of(),
                    Endpoint.NONE));

    private final URI dynamoDb;
    private final URI s3;

    /** @param dynamoDb dynalite, where the matrix's table is made if missing; @param s3 the S3 fake */
    Matrix(URI dynamoDb, DynamoDbClient dynamoDbClient, URI s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        if (!dynamoDbClient.listTables().tableNames().contains(TABLE)) {
            dynamoDbClient.createTable(create -> create.tableName(TABLE)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("id")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("id")
                            .keyType(KeyType.HASH)
                            .build()));
        }
    }

    /** The function as configured to run here, without the layer. */
    FunctionSpec.Builder function(Stack stack) {
        Map<String, String> environment = new LinkedHashMap<>(stack.environment());
        environment.put("COMPAT_DYNAMODB_ENDPOINT", dynamoDb.toString());
        environment.put("COMPAT_S3_ENDPOINT", s3.toString());
        environment.put("COMPAT_TABLE", TABLE);
        return FunctionSpec.builder(zip(stack.module()), stack.handler())
                .functionName(stack.name())
                .env(environment);
    }

    /** The host:port a violation names for the function's connections to its stand-in, or null for none. */
    String authority(Stack stack) {
        return stack.connects() == Endpoint.DYNAMODB ? dynamoDb.getAuthority() : null;
    }

    static Path zip(String module) {
        Path zip = Path.of(System.getProperty("warden.compat.dir"), module, "target", "compat-" + module + ".zip");
        assertThat(zip)
                .as("the %s function zip, built by compat/%s (profile compat)", module, module)
                .isRegularFile();
        return zip;
    }
}
