package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import io.warden.service.auth.IamAuthenticator;
import io.warden.service.auth.TokenAuthenticator;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The policy service on Lambda behind an API Gateway HTTP API (payload format 2.0): every request goes to the same
 * {@link WardenApi} as {@code warden serve}, on DynamoDB. Configured by the environment:
 * <ul>
 *   <li>{@value #TABLE_PREFIX} (default {@value #DEFAULT_TABLE_PREFIX}): the tables' name prefix, the AWS scan's
 *       findings tables included;</li>
 *   <li>{@value #SIGNING_KEY_SECRET}: the ARN of the Secrets Manager secret holding the Ed25519 policy signing key,
 *       read once at init ({@link SigningKeySecret}; {@value SigningKeySecret#ENDPOINT} for a local endpoint);</li>
 *   <li>{@value #ADMIN_ROLE_ARNS}: comma-separated IAM role ARNs whose callers are admins (IAM authorization);</li>
 *   <li>{@value #DYNAMODB_ENDPOINT}: another DynamoDB endpoint, e.g. a local one.</li>
 * </ul>
 */
public final class ApiGatewayHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    public static final String TABLE_PREFIX = ServiceTables.TABLE_PREFIX;
    public static final String DEFAULT_TABLE_PREFIX = ServiceTables.DEFAULT_TABLE_PREFIX;
    public static final String SIGNING_KEY_SECRET = SigningKeySecret.SECRET;
    public static final String ADMIN_ROLE_ARNS = "WARDEN_ADMIN_ROLE_ARNS";
    public static final String DYNAMODB_ENDPOINT = ServiceTables.DYNAMODB_ENDPOINT;

    private final WardenApi api;

    /** Lambda's constructor: configured from the environment, once per execution environment. */
    public ApiGatewayHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public ApiGatewayHandler(WardenApi api) {
        this.api = api;
    }

    /** The API on DynamoDB as the environment configures it. */
    public static WardenApi fromEnvironment(Map<String, String> env) {
        SigningKey signingKey = SigningKeySecret.read(env);
        DynamoDbStore store = new DynamoDbStore(ServiceTables.client(env), ServiceTables.tablePrefix(env));
        store.migrate();
        Set<String> admins = Arrays.stream(env.getOrDefault(ADMIN_ROLE_ARNS, "").split(","))
                .map(String::trim)
                .filter(arn -> !arn.isEmpty())
                .collect(Collectors.toSet());
        return new WardenApi(
                store,
                signingKey,
                new IamAuthenticator(admins, new TokenAuthenticator(store)),
                null,
                Clock.systemUTC());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        byte[] body = event.getBody() == null
                ? new byte[0]
                : event.getIsBase64Encoded()
                        ? Base64.getDecoder().decode(event.getBody())
                        : event.getBody().getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent.RequestContext requestContext = event.getRequestContext();
        if (requestContext == null
                || requestContext.getHttp() == null
                || requestContext.getHttp().getMethod() == null
                || event.getRawPath() == null) {
            // A misconfigured integration (e.g. payload format 1.0), not a bad request: fail the invocation.
            throw new IllegalArgumentException("not an API Gateway HTTP API payload format 2.0 event: no "
                    + (event.getRawPath() == null ? "rawPath" : "requestContext.http.method"));
        }
        String method = requestContext.getHttp().getMethod();
        String iamPrincipal = requestContext.getAuthorizer() != null
                        && requestContext.getAuthorizer().getIam() != null
                ? requestContext.getAuthorizer().getIam().getUserArn()
                : null;
        ApiRequest request = new ApiRequest(
                method.toUpperCase(Locale.ROOT),
                event.getRawPath(),
                event.getRawQueryString(),
                headers,
                new ByteArrayInputStream(body),
                body.length,
                iamPrincipal);
        ApiResponse response = api.handle(request);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(Base64.getEncoder().encodeToString(response.body()))
                .withIsBase64Encoded(true)
                .build();
    }
}
