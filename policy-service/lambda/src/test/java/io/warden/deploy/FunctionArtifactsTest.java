package io.warden.deploy;

import static io.warden.deploy.ApiFunctionDeployment.ADMIN_SESSION;
import static io.warden.deploy.ApiFunctionDeployment.JSON;
import static io.warden.deploy.ApiFunctionDeployment.ORDERS_FUNCTION_SESSION;
import static io.warden.deploy.ApiFunctionDeployment.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.fake.FakeAws;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeException;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.LocalLambda;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.store.Dynalite;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.AwsClient;

/**
 * Each kind of function gets a jar of its own with what its handlers need: the API function's jar, alone on the class
 * path of the real Lambda runtime client, answers every kind of route on the template's tables; neither jar carries
 * SQLite (no function runs it) nor the other's handlers.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@ExtendWith(Dynalite.Resolver.class)
class FunctionArtifactsTest {

    static final Path SCAN_JAR =
            Path.of(System.getProperty("warden.repository"), "policy-service/lambda/target/warden-scan-function.jar");
    static final Path INGEST_JAR =
            Path.of(System.getProperty("warden.repository"), "policy-service/lambda/target/warden-ingest-function.jar");

    static Set<String> packages(Path jar) throws IOException {
        Set<String> packages = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.lastIndexOf('/') + 1))
                    .forEach(packages::add);
        }
        return packages;
    }

    static boolean holds(Path jar, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }

    @Test
    void eachFunctionsJarHoldsItsOwnHandlersAndNoSqlite() throws IOException {
        Path api = ApiFunctionDeployment.builtJar();
        assertThat(packages(api))
                .noneMatch(name -> name.startsWith("org/sqlite/"))
                .as("the scans' AWS clients, archive and SBOM libraries")
                .doesNotContain(
                        "software/amazon/awssdk/services/lambda/",
                        "software/amazon/awssdk/services/iam/",
                        "software/amazon/awssdk/services/sts/",
                        "org/cyclonedx/model/",
                        "org/apache/commons/compress/archivers/zip/",
                        "org/objectweb/asm/",
                        "org/joda/time/",
                        "com/ctc/wstx/api/")
                .contains(
                        "software/amazon/awssdk/services/dynamodb/", "software/amazon/awssdk/services/secretsmanager/");
        assertThat(holds(api, "io/warden/service/lambda/ApiGatewayHandler.class"))
                .isTrue();
        assertThat(holds(api, "io/warden/service/lambda/LogIngestHandler.class"))
                .isFalse();
        assertThat(holds(api, "io/warden/service/lambda/ScheduledScanHandler.class"))
                .isFalse();
        assertThat(holds(api, "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so"))
                .isFalse();

        assertThat(packages(SCAN_JAR))
                .noneMatch(name -> name.startsWith("org/sqlite/"))
                .as("the SBOM library and its XML stack, which only the command line's reports use")
                .doesNotContain("org/cyclonedx/model/", "com/ctc/wstx/api/")
                .contains(
                        "software/amazon/awssdk/services/lambda/",
                        "software/amazon/awssdk/services/dynamodb/",
                        "org/joda/time/");
        assertThat(holds(SCAN_JAR, "io/warden/service/lambda/ScheduledScanHandler.class"))
                .isTrue();
        assertThat(holds(SCAN_JAR, "io/warden/service/lambda/DeploymentEventHandler.class"))
                .isTrue();
        assertThat(holds(SCAN_JAR, "io/warden/service/lambda/ApiGatewayHandler.class"))
                .isFalse();
        assertThat(packages(SCAN_JAR)).doesNotContain("software/amazon/awssdk/services/secretsmanager/");

        assertThat(packages(INGEST_JAR))
                .noneMatch(name -> name.startsWith("org/sqlite/"))
                .as("the ingest function stores violations, and does nothing else")
                .doesNotContain(
                        "software/amazon/awssdk/services/lambda/",
                        "software/amazon/awssdk/services/iam/",
                        "software/amazon/awssdk/services/sts/",
                        "software/amazon/awssdk/services/secretsmanager/",
                        "org/cyclonedx/model/",
                        "org/apache/commons/compress/archivers/zip/",
                        "org/objectweb/asm/")
                .contains("software/amazon/awssdk/services/dynamodb/");
        assertThat(holds(INGEST_JAR, "io/warden/service/lambda/LogIngestHandler.class"))
                .isTrue();
        assertThat(holds(INGEST_JAR, "io/warden/service/lambda/ApiGatewayHandler.class"))
                .isFalse();
    }

    @Test
    void eachFunctionsJarCarriesWardensLicenceTheNoticesOfWhatItBundlesAndTheirLicences() throws Exception {
        Path repository = Path.of(System.getProperty("warden.repository"));
        String license = Files.readString(repository.resolve("LICENSE"));
        // Apache-2.0 libraries with a NOTICE that both functions bundle: the AWS SDK's and Jackson's must be kept.
        List<String> bundledNotices =
                List.of(notice(codeSource(AwsClient.class)), notice(codeSource(ObjectMapper.class)));
        for (Path jar : List.of(ApiFunctionDeployment.builtJar(), SCAN_JAR, INGEST_JAR)) {
            try (FileSystem zip = FileSystems.newFileSystem(jar)) {
                assertThat(Files.readString(zip.getPath("META-INF/LICENSE")))
                        .as(jar + " LICENSE")
                        .isEqualTo(license);
                String notice = lines(Files.readString(zip.getPath("META-INF/NOTICE")));
                assertThat(notice)
                        .as(jar + " NOTICE")
                        .contains("Warden\nCopyright 2026 the Warden authors\n")
                        .contains(bundledNotices);
                assertThat(Files.readString(zip.getPath("META-INF/THIRD-PARTY.txt")))
                        .as(jar + " THIRD-PARTY.txt")
                        .contains("(software.amazon.awssdk:dynamodb:", "(com.fasterxml.jackson.core:jackson-databind:")
                        .doesNotContain("io.warden:", "org.xerial:sqlite-jdbc:", "org.cyclonedx:");
            }
        }
    }

    static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A library's NOTICE (META-INF/NOTICE, or NOTICE.txt as the AWS SDK names it), as the shaded NOTICE keeps it. */
    static String notice(Path jar) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Path notice = zip.getPath("META-INF/NOTICE");
            return lines(Files.readString(Files.exists(notice) ? notice : zip.getPath("META-INF/NOTICE.txt")))
                    .strip();
        }
    }

    /** The text with \n line ends and no trailing blanks on a line, as the shade plugin writes a merged NOTICE. */
    static String lines(String text) {
        return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n"));
    }

    @Test
    void theApiFunctionsJarAloneServesTheAgentsAndTheAdminsRoutes(Dynalite dynalite, @TempDir Path work)
            throws Exception {
        try (FakeAws aws = FakeAws.start("123456789012")) {
            theApiFunctionsJarAloneServesTheAgentsAndTheAdminsRoutes(ApiFunctionDeployment.deploy(
                    ApiFunctionDeployment.builtJar(),
                    work,
                    dynalite,
                    aws,
                    "artifact" + Dynalite.newTablePrefix().replace("-", "")));
            assertThat(aws.calls("GetSecretValue"))
                    .as("the signing key is read once at the function's init, not per request (and once here, to mint"
                            + " the token)")
                    .isEqualTo(2);
        }
    }

    void theApiFunctionsJarAloneServesTheAgentsAndTheAdminsRoutes(ApiFunctionDeployment deployment) throws Exception {
        String token = deployment.reporterToken("orders");
        String violation = ViolationJson.toJsonLine(Violation.builder()
                .id("artifact-1")
                .function("orders")
                .time(Instant.parse("2024-05-01T12:00:00Z"))
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(Action.BLOCKED)
                .rule("network.allow (no match)")
                .build());
        String report = "{\"function\":\"orders\",\"agentVersion\":\"0.1.0\",\"mode\":\"block\",\"events\":["
                + violation + "]}";

        InvokeRun run = invoke(
                deployment,
                event(ADMIN_SESSION, "PUT", "/v1/policies/orders", "", "{\"version\":1,\"mode\":\"alert\"}"),
                event(ORDERS_FUNCTION_SESSION, "GET", "/v1/policies/orders", "", null),
                ApiFunctionDeployment.reportEvent(token, report),
                event(ADMIN_SESSION, "GET", "/v1/violations", "function=orders", null),
                event(ADMIN_SESSION, "GET", "/v1/functions", "", null),
                event(ADMIN_SESSION, "GET", "/v1/findings", "", null),
                ApiFunctionDeployment.uploadEvent(ADMIN_SESSION, "/v1/scans", "function=orders"));

        assertThat(run.results()).as(String.join("\n", run.log())).allMatch(InvocationResult::succeeded);
        List<JsonNode> responses =
                run.results().stream().map(result -> json(result.payloadText())).toList();
        assertThat(responses)
                .extracting(response -> response.get("statusCode").asInt())
                .containsExactly(200, 200, 202, 200, 200, 200, 501);
        assertThat(body(responses.get(1)).get("mode").asText()).isEqualTo("alert");
        assertThat(body(responses.get(3)).at("/violations/0/id").asText()).isEqualTo("artifact-1");
        assertThat(body(responses.get(4)).at("/functions/0/violations/blocked").asInt())
                .isEqualTo(1);
    }

    static InvokeRun invoke(ApiFunctionDeployment deployment, String... events)
            throws InvokeException, IOException, InterruptedException {
        return LocalLambda.invoke(
                deployment.function.build(),
                List.of(events).stream()
                        .map(event -> event.getBytes(StandardCharsets.UTF_8))
                        .toList(),
                line -> {});
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static JsonNode body(JsonNode response) {
        return json(new String(Base64.getDecoder().decode(response.get("body").asText()), StandardCharsets.UTF_8));
    }
}
