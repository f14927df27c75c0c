package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.fake.FakeFunction;
import io.warden.aws.findings.CloudWatchFindingOutput;
import io.warden.aws.scan.AwsScanner;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.ApiResponse;
import io.warden.service.api.WardenApi;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Dynalite;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scan functions keep their results across invocations and execution environments: each invocation here runs in
 * a fresh scanner on the finding store the function's environment names (DynamoDB, dynalite), against the fake AWS;
 * the API function reads what they wrote.
 */
@ExtendWith(Dynalite.Resolver.class)
class ScanPersistenceTest {

    static final String ADMIN_ROLE = "arn:aws:iam::111111111111:role/WardenAdmin";
    static final ObjectMapper JSON = new ObjectMapper();

    FakeAws aws;
    FakeFunction payments;
    Map<String, String> env;
    final List<String> logLines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy(Dynalite dynalite) throws IOException {
        aws = FakeAws.start(AwsFixtures.HOME);
        aws.home()
                .function(AwsFixtures.REGION, "orders")
                .runtime("java21")
                .url("NONE")
                .code(aws.code(AwsFixtures.plainFunction("orders")));
        payments = aws.home()
                .function(AwsFixtures.REGION, "payments")
                .runtime("java21")
                .code(aws.code(AwsFixtures.plainFunction("payments")));
        String prefix = Dynalite.newTablePrefix();
        new DynamoDbStore(dynalite.client(), prefix).createTables();
        env = Map.of(
                ServiceTables.TABLE_PREFIX,
                prefix,
                ServiceTables.DYNAMODB_ENDPOINT,
                dynalite.endpoint().toString(),
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** One invocation of the scheduled scan in a new execution environment. */
    JsonNode scheduledScanInANewEnvironment() throws IOException {
        try (AwsScanner scanner = new AwsScanner(
                AwsFixtures.settings(aws),
                aws.credentials(),
                ScanFunctionEnvironment.findingStore(env),
                null,
                new CloudWatchFindingOutput(logLines::add, AwsFixtures.TODAY))) {
            return JSON.readTree(new ScheduledScanHandler(scanner)
                    .handleRequest(ScanHandlersTest.scheduledEvent("scheduled-event.json"), null));
        }
    }

    JsonNode adminGet(WardenApi api, String path, String query) throws IOException {
        ApiResponse response = api.handle(new ApiRequest(
                "GET",
                path,
                query,
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                0,
                "arn:aws:sts::111111111111:assumed-role/WardenAdmin/alice"));
        assertThat(response.status()).as(new String(response.body())).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void aLaterInvocationBuildsOnWhatAnEarlierOneStored() throws IOException {
        JsonNode first = scheduledScanInANewEnvironment();
        int downloads = aws.totalDownloads();
        assertThat(first.get("newFindings").asInt()).isPositive();
        assertThat(downloads).isEqualTo(2);
        logLines.clear();

        JsonNode second = scheduledScanInANewEnvironment();

        assertThat(second.get("functionsScanned").asInt()).isEqualTo(2);
        assertThat(second.get("newFindings").asInt())
                .as("nothing is new to the stored inventory")
                .isZero();
        assertThat(second.get("packagesDownloaded").asInt()).isZero();
        assertThat(aws.totalDownloads()).isEqualTo(downloads);
        assertThat(logLines).isEmpty();

        payments.runtime("java8");
        JsonNode third = scheduledScanInANewEnvironment();
        assertThat(third.get("newFindings").asInt()).isEqualTo(1);
        assertThat(logLines.stream().filter(line -> line.contains(CloudWatchFindingOutput.LOG_TYPE)))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("runtime-deprecated"));
    }

    @Test
    void theApiFunctionServesWhatTheScanFunctionsStored() throws IOException {
        scheduledScanInANewEnvironment();
        Map<String, String> apiEnv = new HashMap<>(env);
        apiEnv.putAll(SigningKeySecrets.environment(aws, "us-east-1", SigningKey.generate()));
        apiEnv.put(ApiGatewayHandler.ADMIN_ROLE_ARNS, ADMIN_ROLE);
        WardenApi api = ApiGatewayHandler.fromEnvironment(apiEnv);

        JsonNode orders = adminGet(api, "/v1/findings", "function=orders&type=posture");
        JsonNode functions = adminGet(api, "/v1/functions", null);

        assertThat(orders.get("findings").findValuesAsText("rule"))
                .contains("function-url-public")
                .doesNotContain("runtime-deprecated");
        assertThat(orders.get("findings").findValuesAsText("resource"))
                .containsOnly(aws.home().functionArn(AwsFixtures.REGION, "orders"));
        assertThat(functions.get("functions"))
                .extracting(f -> f.get("function").asText())
                .containsExactly("orders", "payments");
        assertThat(functions.at("/functions/0/deployed/0/findings/high").asInt())
                .isPositive();
    }
}
