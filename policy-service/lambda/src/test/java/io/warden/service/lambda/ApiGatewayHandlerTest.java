package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.fake.FakeAws;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.PolicySignature;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Dynalite;
import io.warden.service.store.dynamodb.DynamoDbStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Lambda handler on real API Gateway HTTP API (payload 2.0) event JSON, read and written by the serializer the
 * Lambda Java runtime uses, on DynamoDB (dynalite), with the signing key read from its secret (the fake AWS's Secrets
 * Manager): the same API as {@code warden serve}.
 */
@ExtendWith(Dynalite.Resolver.class)
@Tag("fast")
class ApiGatewayHandlerTest {

    static final String ADMIN_ROLE = "arn:aws:iam::123456789012:role/WardenAdmin";
    static final String ADMIN_SESSION = "arn:aws:sts::123456789012:assumed-role/WardenAdmin/alice";
    static final String ORDERS_FUNCTION_SESSION = "arn:aws:sts::123456789012:assumed-role/orders-role/orders";
    static final String REGION = "us-east-1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = LambdaEventSerializers.serializerFor(
            APIGatewayV2HTTPEvent.class, ApiGatewayHandlerTest.class.getClassLoader());
    static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES = LambdaEventSerializers.serializerFor(
            APIGatewayV2HTTPResponse.class, ApiGatewayHandlerTest.class.getClassLoader());

    static FakeAws aws;

    ApiGatewayHandler handler;
    String publicKey;

    @BeforeAll
    static void startAws() throws IOException {
        aws = FakeAws.start("123456789012");
    }

    @AfterAll
    static void stopAws() {
        aws.close();
    }

    @BeforeEach
    void deploy(Dynalite dynalite) {
        String prefix = Dynalite.newTablePrefix();
        new DynamoDbStore(dynalite.client(), prefix).createTables();
        var keys = SigningKey.generate();
        publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        Map<String, String> env = new HashMap<>(SigningKeySecrets.environment(aws, REGION, keys));
        env.put("AWS_REGION", REGION);
        env.put(ApiGatewayHandler.TABLE_PREFIX, prefix);
        env.put(ApiGatewayHandler.ADMIN_ROLE_ARNS, "arn:aws:iam::123456789012:role/Other, " + ADMIN_ROLE);
        env.put(ApiGatewayHandler.DYNAMODB_ENDPOINT, dynalite.endpoint().toString());
        handler = new ApiGatewayHandler(ApiGatewayHandler.fromEnvironment(env));
    }

    /** The IAM-authorized sample event, for this caller, method, path, query and body. */
    static ObjectNode iamEvent(String principal, String method, String path, String query, String body)
            throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(resource("violations-with-iam.json"));
        ((ObjectNode) event.at("/requestContext/authorizer/iam")).put("userArn", principal);
        ((ObjectNode) event.at("/requestContext/http")).put("method", method).put("path", path);
        event.put("rawPath", path).put("rawQueryString", query);
        if (body != null) {
            ((ObjectNode) event.get("headers")).put("content-type", "application/json");
            event.put("body", body);
        }
        return event;
    }

    /** Runs the event JSON through the handler as Lambda would and returns the response JSON as API Gateway reads it. */
    JsonNode invoke(JsonNode eventJson) throws IOException {
        APIGatewayV2HTTPEvent event = EVENTS.fromJson(JSON.writeValueAsString(eventJson));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RESPONSES.toJson(handler.handleRequest(event, null), out);
        return JSON.readTree(out.toByteArray());
    }

    static byte[] body(JsonNode response) {
        assertThat(response.get("isBase64Encoded").asBoolean()).isTrue();
        return Base64.getDecoder().decode(response.get("body").asText());
    }

    static JsonNode bodyJson(JsonNode response) throws IOException {
        return JSON.readTree(body(response));
    }

    @Test
    void aReportWithATokenIsStoredAndListedForAnIamAdmin() throws IOException {
        JsonNode minted = invoke(
                iamEvent(ADMIN_SESSION, "POST", "/v1/tokens", "", "{\"role\":\"reporter\",\"function\":\"orders\"}"));
        assertThat(minted.get("statusCode").asInt()).isEqualTo(201);
        String token = bodyJson(minted).get("token").asText();

        String event = ViolationJson.toJsonLine(Violation.builder()
                .id("lambda-1")
                .function("orders")
                .time(Instant.parse("2024-05-01T12:00:00Z"))
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(Action.BLOCKED)
                .rule("network.allow (no match)")
                .requestId("req-9")
                .build());
        String report =
                "{\"function\":\"orders\",\"agentVersion\":\"0.1.0\",\"mode\":\"block\",\"events\":[" + event + "]}";
        ObjectNode reportEvent = (ObjectNode) JSON.readTree(resource("report-with-token.json"));
        ((ObjectNode) reportEvent.get("headers")).put("authorization", "Bearer " + token);
        reportEvent.put("body", Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8)));
        JsonNode accepted = invoke(reportEvent);
        assertThat(accepted.get("statusCode").asInt()).isEqualTo(202);
        assertThat(bodyJson(accepted)).isEqualTo(JSON.readTree("{\"accepted\":1,\"duplicates\":0}"));

        JsonNode listed = invoke(iamEvent(ADMIN_SESSION, "GET", "/v1/violations", "function=orders&limit=10", null));
        assertThat(listed.get("statusCode").asInt()).isEqualTo(200);
        assertThat(bodyJson(listed).get("violations").get(0).get("requestId").asText())
                .isEqualTo("req-9");
        JsonNode functions = invoke(iamEvent(ADMIN_SESSION, "GET", "/v1/functions", "", null));
        assertThat(bodyJson(functions)
                        .get("functions")
                        .get(0)
                        .get("violations")
                        .get("blocked")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void aFunctionsRoleReadsItsOwnSignedPolicyAndNothingElse() throws IOException {
        assertThat(invoke(iamEvent(
                                ADMIN_SESSION, "PUT", "/v1/policies/orders", "", "{\"version\":1,\"mode\":\"alert\"}"))
                        .get("statusCode")
                        .asInt())
                .isEqualTo(200);
        JsonNode policy = invoke(iamEvent(ORDERS_FUNCTION_SESSION, "GET", "/v1/policies/orders", "", null));
        assertThat(policy.get("statusCode").asInt()).isEqualTo(200);
        byte[] signature = Base64.getDecoder()
                .decode(policy.get("headers").get("X-Warden-Signature").asText());
        JsonNode headers = policy.get("headers");
        assertThat(SigningKey.verify(
                        publicKey,
                        PolicySignature.message(
                                "orders",
                                headers.get("X-Warden-Policy-Revision").asLong(),
                                headers.get("X-Warden-Policy-Expires").asLong(),
                                body(policy)),
                        signature))
                .isTrue();
        assertThat(JSON.readTree(body(policy)).get("mode").asText()).isEqualTo("alert");

        JsonNode other = invoke(iamEvent(ORDERS_FUNCTION_SESSION, "GET", "/v1/policies/billing", "", null));
        assertThat(other.get("statusCode").asInt()).isEqualTo(403);
        JsonNode listing = invoke(iamEvent(ORDERS_FUNCTION_SESSION, "GET", "/v1/violations", "", null));
        assertThat(listing.get("statusCode").asInt()).isEqualTo(403);
        assertThat(bodyJson(listing).get("message").asText()).contains(ORDERS_FUNCTION_SESSION);
    }

    @Test
    void callersThatAreNeitherAdminsNorFunctionRolesAreRefused() throws IOException {
        JsonNode response =
                invoke(iamEvent("arn:aws:iam::123456789012:user/mallory", "GET", "/v1/functions", "", null));
        assertThat(response.get("statusCode").asInt()).isEqualTo(403);
        assertThat(bodyJson(response).get("message").asText()).contains("arn:aws:iam::123456789012:user/mallory");
    }

    @Test
    void anEventOfAnotherPayloadFormatFailsTheInvocation() throws IOException {
        ObjectNode event = iamEvent(ADMIN_SESSION, "GET", "/v1/functions", "", null);
        event.remove("requestContext");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> invoke(event))
                .hasMessageContaining("not an API Gateway HTTP API payload format 2.0 event");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ApiGatewayHandlerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
