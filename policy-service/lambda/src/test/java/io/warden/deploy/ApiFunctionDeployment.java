package io.warden.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.fake.FakeAws;
import io.warden.invoke.FunctionSpec;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.lambda.ApiGatewayHandler;
import io.warden.service.lambda.SigningKeySecrets;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The API function as the template deploys it: its jar alone in {@code lib/} of a deployment zip, its handler, memory
 * and variables, on the template's tables (created in dynalite for a stack of its own) with its signing key in a
 * Secrets Manager secret (the fake AWS), run by the local runtime of
 * {@code warden invoke} on the real Lambda runtime client. {@link #event} makes the API Gateway HTTP API events
 * (payload format 2.0) it answers.
 */
final class ApiFunctionDeployment {

    static final String ADMIN_ROLE = "arn:aws:iam::123456789012:role/WardenAdmin";
    static final String ADMIN_SESSION = "arn:aws:sts::123456789012:assumed-role/WardenAdmin/alice";
    static final String ORDERS_FUNCTION_SESSION = "arn:aws:sts::123456789012:assumed-role/orders-role/orders";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/io/warden/service/lambda/";

    final Map<String, String> environment;
    final FunctionSpec.Builder function;
    final String publicKey;

    private ApiFunctionDeployment(Map<String, String> environment, FunctionSpec.Builder function, String publicKey) {
        this.environment = environment;
        this.function = function;
        this.publicKey = publicKey;
    }

    /** The built API function jar. */
    static Path builtJar() {
        return Path.of(System.getProperty("warden.repository"), "policy-service/lambda/target/warden-api-function.jar");
    }

    /**
     * Deploys {@code jar} as the API function of a new stack named {@code stackName}, its signing key in a secret of
     * {@code aws}.
     */
    static ApiFunctionDeployment deploy(Path jar, Path workDirectory, Dynalite dynalite, FakeAws aws, String stackName)
            throws IOException {
        Template template = Template.load();
        TemplateTablesTest.createTemplateTables(template, dynalite.client(), stackName);
        JsonNode properties = template.resources().at("/ApiFunction/Properties");
        KeyPair keys = SigningKey.generate();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(
                ApiGatewayHandler.TABLE_PREFIX, TemplateTablesTest.tablePrefix(template, "ApiFunction", stackName));
        environment.putAll(SigningKeySecrets.environment(aws, FunctionSpec.DEFAULT_REGION, keys));
        environment.put(ApiGatewayHandler.ADMIN_ROLE_ARNS, ADMIN_ROLE);
        environment.put(ApiGatewayHandler.DYNAMODB_ENDPOINT, dynalite.endpoint().toString());

        Path zip = workDirectory.resolve("api-function.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
            Files.copy(jar, out);
            out.closeEntry();
        }
        int memory = properties
                .path("MemorySize")
                .asInt(template.root.at("/Globals/Function/MemorySize").asInt());
        FunctionSpec.Builder function = FunctionSpec.builder(
                        zip, properties.path("Handler").asText())
                .layer(null)
                .memoryMb(memory)
                .functionName("warden-api")
                .env(environment);
        return new ApiFunctionDeployment(
                environment,
                function,
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
    }

    /** A reporter token for the function, minted through the API in this JVM (setting up, not under test). */
    String reporterToken(String functionName) throws IOException {
        byte[] body =
                ("{\"role\":\"reporter\",\"function\":\"" + functionName + "\"}").getBytes(StandardCharsets.UTF_8);
        ApiResponse minted = ApiGatewayHandler.fromEnvironment(withRegion(environment))
                .handle(new ApiRequest(
                        "POST",
                        "/v1/tokens",
                        null,
                        Map.of("content-type", "application/json"),
                        new ByteArrayInputStream(body),
                        body.length,
                        ADMIN_SESSION));
        if (minted.status() != 201) {
            throw new IllegalStateException("cannot mint a reporter token: " + minted.status());
        }
        return JSON.readTree(minted.body()).get("token").asText();
    }

    private static Map<String, String> withRegion(Map<String, String> environment) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        copy.put("AWS_REGION", FunctionSpec.DEFAULT_REGION);
        return copy;
    }

    /** An IAM-authorized request from {@code principal}. */
    static String event(String principal, String method, String path, String query, String body) {
        ObjectNode event = sample("violations-with-iam.json");
        ((ObjectNode) event.at("/requestContext/authorizer/iam")).put("userArn", principal);
        ((ObjectNode) event.at("/requestContext/http")).put("method", method).put("path", path);
        event.put("rawPath", path).put("rawQueryString", query);
        if (body != null) {
            ((ObjectNode) event.get("headers")).put("content-type", "application/json");
            event.put("body", body);
        }
        return event.toString();
    }

    /** A package upload from {@code principal}: an empty deployment zip. */
    static String uploadEvent(String principal, String path, String query) {
        ObjectNode event = (ObjectNode) json(event(principal, "POST", path, query, null));
        ((ObjectNode) event.get("headers")).put("content-type", "application/zip");
        // The end-of-central-directory record alone: a zip with no entries.
        event.put("body", Base64.getEncoder().encodeToString(new byte[] {
            0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        }));
        event.put("isBase64Encoded", true);
        return event.toString();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A report from the agent, with its reporter token. */
    static String reportEvent(String token, String report) {
        ObjectNode event = sample("report-with-token.json");
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + token);
        event.put("body", Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);
        return event.toString();
    }

    private static ObjectNode sample(String name) {
        try (InputStream in = ApiFunctionDeployment.class.getResourceAsStream(EVENTS + name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
