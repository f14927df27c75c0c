package io.warden.compat;

import static io.warden.invoke.LambdaFixtures.invoke;
import static io.warden.invoke.LambdaFixtures.jsonLogLines;
import static io.warden.invoke.LambdaFixtures.withBuiltLayer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeRun;
import io.warden.service.store.Dynalite;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The compatibility matrix: real functions built from the libraries Java functions commonly use ({@code compat/}), each
 * run on the real Lambda runtime client without the layer and then under the built layer with its default policy
 * (cold start and a warm invocation). Each must answer exactly as without the layer, with no Warden error and no
 * blocked violation. The only violations allowed are those named in {@link Stack#expected}: alerts for connections to
 * the local stand-ins for AWS (dynalite, the S3 fake), which on Lambda would be AWS endpoints the default policy allows.
 * Every endpoint is on loopback; aws-embedded-metrics is kept off the metadata endpoint by the layer's wrapper.
 *
 * <p>Runs in the {@code compat} profile ({@code mvn -B verify -Pcompat}), which builds the functions first (compat/matrix).
 */
@ExtendWith(Dynalite.Resolver.class)
class CompatibilityMatrixIT {

    static final String TABLE = "compat-matrix";
    static final String[] EVENTS = {"{\"value\":\"order-42\"}", "{\"value\":\"order-43\"}"};

    /** Where the functions' connections to the local stand-ins for AWS show up: alerted, never blocked. */
    enum Endpoint { NONE, DYNAMODB, S3 }

    /** A function of the matrix: its zip (a module of compat/), handler, configuration, and what it connects to. */
    record Stack(String name, String module, String handler, Map<String, String> environment, Endpoint expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static S3Fake s3;
    static String dynamoDbEndpoint;

    static Stream<Stack> stacks() {
        return Stream.of(
                new Stack("sdk-apache", "aws-sdk", "io.warden.compat.sdk.ApacheClientFunction::handleRequest", Map.of(), Endpoint.DYNAMODB),
                new Stack("sdk-url-connection", "aws-sdk", "io.warden.compat.sdk.UrlConnectionFunction::handleRequest", Map.of(), Endpoint.DYNAMODB),
                new Stack("sdk-netty-nio", "aws-sdk", "io.warden.compat.sdk.NettyNioFunction::handleRequest", Map.of(), Endpoint.DYNAMODB),
                // Native code connects below every Java hook: nothing to alert (docs/threat-model.md, R10).
                new Stack("sdk-netty-epoll", "aws-sdk", "io.warden.compat.sdk.NettyEpollFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("sdk-crt-http", "aws-sdk", "io.warden.compat.sdk.CrtHttpFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("sdk-s3-crt", "aws-sdk", "io.warden.compat.sdk.S3CrtFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("powertools", "powertools", "io.warden.compat.powertools.PowertoolsFunction::handleRequest",
                        Map.of("POWERTOOLS_SERVICE_NAME", "compat", "POWERTOOLS_METRICS_NAMESPACE", "Compat"), Endpoint.NONE),
                new Stack("spring-cloud-function", "spring-cloud-function",
                        "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest",
                        Map.of("MAIN_CLASS", "io.warden.compat.spring.CompatApplication"), Endpoint.NONE),
                new Stack("log4j2", "logging", "io.warden.compat.logging.Log4j2Function::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("logback", "logging", "io.warden.compat.logging.LogbackFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("sqlite-jdbc", "jni", "io.warden.compat.jni.SqliteFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("zstd-jni", "jni", "io.warden.compat.jni.ZstdFunction::handleRequest", Map.of(), Endpoint.NONE),
                new Stack("snappy-java", "jni", "io.warden.compat.jni.SnappyFunction::handleRequest", Map.of(), Endpoint.NONE));
    }

    @BeforeAll
    static void standIns(Dynalite dynalite) throws Exception {
        s3 = S3Fake.start();
        dynamoDbEndpoint = dynalite.endpoint().toString();
        if (!dynalite.client().listTables().tableNames().contains(TABLE)) {
            dynalite.client().createTable(create -> create.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        }
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void answersAsWithoutTheLayerWithNoViolationUnderTheDefaultPolicy(Stack stack) {
        FunctionSpec.Builder function = function(stack);

        InvokeRun without = invoke(function.build(), EVENTS);
        InvokeRun with = invoke(withBuiltLayer(function).build(), EVENTS);

        assertThat(without.results()).as("without the layer:\n%s", String.join("\n", without.log()))
                .hasSize(EVENTS.length).allMatch(InvocationResult::succeeded);
        assertThat(with.results()).as("with the layer:\n%s", String.join("\n", with.log()))
                .hasSize(EVENTS.length).allMatch(InvocationResult::succeeded);
        for (int i = 0; i < EVENTS.length; i++) {
            assertThat(with.results().get(i).payloadText()).as("answer %d", i)
                    .isEqualTo(without.results().get(i).payloadText()).contains(i == 0 ? "order-42" : "order-43");
        }
        List<JsonNode> warden = jsonLogLines(with).stream().filter(line -> line.has("warden")).toList();
        assertThat(warden).as("Warden's lines").noneMatch(line -> line.get("warden").asText().equals("error"));
        assertThat(warden).as("Warden started").anyMatch(line -> line.get("warden").asText().equals("status")
                && line.path("state").asText().equals("started"));
        List<JsonNode> violations = warden.stream().filter(line -> line.get("warden").asText().equals("violation")).toList();
        assertThat(violations).as("violations under the default policy:\n%s", String.join("\n", with.log()))
                .allSatisfy(violation -> {
                    assertThat(violation.get("action").asText()).isEqualTo("alerted");
                    assertThat(violation.get("category").asText()).isEqualTo("network");
                    assertThat(violation.get("target").asText()).isEqualTo(authority(stack.expected()));
                });
    }

    private static FunctionSpec.Builder function(Stack stack) {
        Map<String, String> environment = new LinkedHashMap<>(stack.environment());
        environment.put("COMPAT_DYNAMODB_ENDPOINT", dynamoDbEndpoint);
        environment.put("COMPAT_S3_ENDPOINT", s3.endpoint().toString());
        environment.put("COMPAT_TABLE", TABLE);
        return FunctionSpec.builder(zip(stack.module()), stack.handler()).functionName(stack.name()).env(environment);
    }

    /** The host:port a violation names for a connection to the stand-in, or nothing a violation could name. */
    private static String authority(Endpoint endpoint) {
        return switch (endpoint) {
            case DYNAMODB -> java.net.URI.create(dynamoDbEndpoint).getAuthority();
            case S3 -> s3.endpoint().getAuthority();
            case NONE -> "(no connection is expected to be reported)";
        };
    }

    static Path zip(String module) {
        Path zip = Path.of(System.getProperty("warden.compat.dir"), module, "target", "compat-" + module + ".zip");
        assertThat(zip).as("the %s function zip, built by compat/%s (profile compat)", module, module).isRegularFile();
        return zip;
    }
}
