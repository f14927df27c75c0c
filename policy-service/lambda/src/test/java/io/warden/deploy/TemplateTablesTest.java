package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.AwsFixtures;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FindingQuery;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FindingType;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import io.warden.aws.scan.Rematch;
import io.warden.aws.scan.ScanReport;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.scanner.Severity;
import io.warden.scanner.vuln.store.VulnerabilityStore;
import io.warden.service.api.ApiRequest;
import io.warden.service.api.WardenApi;
import io.warden.service.auth.Caller;
import io.warden.service.auth.Role;
import io.warden.service.ingest.IngestSummary;
import io.warden.service.ingest.LogBatch;
import io.warden.service.ingest.LogIngest;
import io.warden.service.lambda.ScanFunctionEnvironment;
import io.warden.service.learn.IamSuggestions;
import io.warden.service.signing.SigningKey;
import io.warden.service.store.Dynalite;
import io.warden.service.store.FindingFixtures;
import io.warden.service.store.Report;
import io.warden.service.store.ScanRecord;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
import io.warden.service.store.observations.ObservationStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/**
 * The template's DynamoDB tables are the ones the service's store uses: created in dynalite exactly as the template
 * declares them (names, keys, indexes), the store reads and writes all five, and the violations' time-to-live
 * attribute is the one the store writes. The AWS scan's two tables are used by the scan functions and read by the API
 * with exactly the actions the template grants each function on them; {@code warden aws rematch --table-prefix} with
 * exactly those docs/aws-scanning.md tells its operator to allow.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@ExtendWith(Dynalite.Resolver.class)
class TemplateTablesTest {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    /** Creates the template's tables for a stack of this name, as CloudFormation would. */
    static void createTemplateTables(Template template, DynamoDbClient dynamo, String stackName) {
        template.resourcesOfType("AWS::DynamoDB::Table").values().forEach(table -> {
            JsonNode properties = table.path("Properties");
            List<AttributeDefinition> attributes = new ArrayList<>();
            properties
                    .path("AttributeDefinitions")
                    .forEach(attribute -> attributes.add(AttributeDefinition.builder()
                            .attributeName(attribute.path("AttributeName").asText())
                            .attributeType(attribute.path("AttributeType").asText())
                            .build()));
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            properties
                    .path("GlobalSecondaryIndexes")
                    .forEach(index -> indexes.add(GlobalSecondaryIndex.builder()
                            .indexName(index.path("IndexName").asText())
                            .keySchema(keys(index.path("KeySchema")))
                            .projection(Projection.builder()
                                    .projectionType(index.at("/Projection/ProjectionType")
                                            .asText())
                                    .build())
                            .build()));
            ServiceTables.create(
                    dynamo,
                    CreateTableRequest.builder()
                            .tableName(properties
                                    .at("/TableName/Fn::Sub")
                                    .asText()
                                    .replace("${AWS::StackName}", stackName))
                            .billingMode(properties.path("BillingMode").asText())
                            .attributeDefinitions(attributes)
                            .keySchema(keys(properties.path("KeySchema")))
                            .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes)
                            .build());
        });
    }

    /** Creates the template's tables for a new stack; answers the table prefix its scan functions are given. */
    static String createScanTables(Template template, Dynalite dynalite, String stackName) {
        createTemplateTables(template, dynalite.client(), stackName);
        return tablePrefix(template, "ScheduledScanFunction", stackName);
    }

    /** The table prefix the template gives a function in a stack of this name. */
    static String tablePrefix(Template template, String function, String stackName) {
        return template.resources()
                .at("/" + function + "/Properties/Environment/Variables")
                .path(ServiceTables.TABLE_PREFIX)
                .path("Fn::Sub")
                .asText()
                .replace("${AWS::StackName}", stackName);
    }

    /** The logical id of each of the template's tables, by its name in a stack of this name. */
    static Map<String, String> tableIds(Template template, String stackName) {
        Map<String, String> tables = new HashMap<>();
        template.resourcesOfType("AWS::DynamoDB::Table")
                .forEach((id, table) -> tables.put(
                        table.at("/Properties/TableName/Fn::Sub").asText().replace("${AWS::StackName}", stackName),
                        id));
        return tables;
    }

    static List<KeySchemaElement> keys(JsonNode keySchema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keySchema.forEach(key -> keys.add(KeySchemaElement.builder()
                .attributeName(key.path("AttributeName").asText())
                .keyType(key.path("KeyType").asText())
                .build()));
        return keys;
    }

    static Violation violation(String function, Action action, Instant time) {
        return Violation.builder()
                .time(time)
                .function(function)
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(action)
                .rule("network.allow (no match)")
                .count(1)
                .build();
    }

    @Test
    void theServiceStoreWorksOnTheTemplatesTables(Dynalite dynalite) throws IOException {
        Template template = Template.load();
        String stackName = "stack" + Dynalite.newTablePrefix().replace("-", "");
        DynamoDbClient dynamo = dynalite.client();
        createTemplateTables(template, dynamo, stackName);
        String prefix = tablePrefix(template, "ApiFunction", stackName);
        DynamoDbStore store = new DynamoDbStore(dynamo, prefix);
        store.migrate();

        store.ingest(new Report(
                "orders",
                "0.1.0",
                Mode.BLOCK,
                NOW,
                List.of(
                        violation("orders", Action.BLOCKED, NOW.minusSeconds(60)),
                        violation("orders", Action.ALERTED, NOW.minusSeconds(30)))));
        store.ingest(new Report(
                "payments",
                "0.1.0",
                Mode.ALERT,
                NOW,
                List.of(violation("payments", Action.ALERTED, NOW.minusSeconds(10)))));
        store.putPolicy("orders", "{\"version\":1}", NOW);
        store.putToken(new TokenRecord("ab".repeat(32), "reporter", "orders", NOW));
        store.putScan(new ScanRecord("scan-1", "orders", NOW, "{\"findings\":0}", "{\"components\":[]}"));
        store.checkHealth();

        assertThat(store.violations(new ViolationQuery("orders", null, null, null, null, 10, null))
                        .events())
                .hasSize(2);
        assertThat(store.violations(new ViolationQuery(null, null, Action.ALERTED, null, null, 10, null))
                        .events())
                .hasSize(2);
        assertThat(store.functions())
                .extracting(record -> record.name() + " " + record.blocked() + "/" + record.alerted())
                .containsExactly("orders 1/1", "payments 0/1");
        assertThat(store.policy("orders")).map(StoredPolicy::json).contains("{\"version\":1}");
        assertThat(store.token("ab".repeat(32))).map(TokenRecord::function).contains("orders");
        assertThat(store.scan("scan-1")).map(ScanRecord::resultJson).contains("{\"components\":[]}");

        JsonNode ttl = template.resources().at("/ViolationsTable/Properties/TimeToLiveSpecification");
        assertThat(ttl.path("Enabled").asBoolean()).isTrue();
        List<Map<String, AttributeValue>> items =
                dynamo.scan(scan -> scan.tableName(prefix + "violations")).items();
        assertThat(items)
                .filteredOn(item -> !item.containsKey("eventId"))
                .as("the schema's version item, which time to live must never remove")
                .singleElement()
                .satisfies(item -> assertThat(item)
                        .doesNotContainKey(ttl.path("AttributeName").asText()));
        items = items.stream().filter(item -> item.containsKey("eventId")).toList();
        assertThat(items).hasSize(3).allSatisfy(item -> {
            AttributeValue expiresAt = item.get(ttl.path("AttributeName").asText());
            assertThat(expiresAt)
                    .as("the time-to-live attribute of " + item.get("id"))
                    .isNotNull();
            assertThat(Instant.ofEpochSecond(Long.parseLong(expiresAt.n())))
                    .isBetween(
                            NOW.plus(DynamoDbStore.VIOLATION_RETENTION).minusSeconds(120),
                            NOW.plus(DynamoDbStore.VIOLATION_RETENTION));
        });
    }

    /** A DynamoDB action on a table of the template, by the table's logical id. */
    record Use(String action, String table) {}

    /**
     * The client, recording each operation as the IAM action and the template's table it acts on (an index counts as
     * its table's {@code /index/*} resource).
     */
    static DynamoDbClient recording(DynamoDbClient delegate, Template template, String stackName, Set<Use> uses) {
        Map<String, String> tables = tableIds(template, stackName);
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null
                    && args.length == 1
                    && (args[0] instanceof Consumer || method.getName().endsWith("Paginator"))) {
                // The builder form and the paginators call the request form, through this proxy again.
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (args != null && args.length == 1 && args[0] instanceof SdkRequest request) {
                String table = request.getValueForField("TableName", String.class)
                        .map(tables::get)
                        .orElse(null);
                boolean index =
                        request.getValueForField("IndexName", String.class).isPresent();
                String name = method.getName();
                uses.add(new Use(
                        "dynamodb:" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                        table + (index ? "/index/*" : "")));
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DynamoDbClient) Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, handler);
    }

    /**
     * What the function's policies allow, as uses of tables: inline statements and managed policies it references,
     * conditional ones included, whose resources are a table's ARN or its indexes.
     */
    static Set<Use> granted(Template template, String function) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : template.resources().at("/" + function + "/Properties/Policies")) {
            JsonNode chosen = policy.has("Fn::If") ? policy.get("Fn::If").get(1) : policy;
            JsonNode document = chosen.has("Ref")
                    ? template.resources().at("/" + chosen.get("Ref").asText() + "/Properties/PolicyDocument")
                    : chosen;
            document.path("Statement").forEach(statements::add);
        }
        Set<Use> granted = new HashSet<>();
        for (JsonNode statement : statements) {
            List<JsonNode> resources = new ArrayList<>();
            (statement.path("Resource").isArray() ? statement.path("Resource") : List.of(statement.path("Resource")))
                    .forEach(resources::add);
            for (JsonNode resource : resources) {
                String table = resource.has("Fn::GetAtt")
                        ? resource.get("Fn::GetAtt").get(0).asText()
                        : resource.path("Fn::Sub").asText().matches("\\$\\{\\w+\\.Arn}/index/\\*")
                                ? resource.path("Fn::Sub")
                                        .asText()
                                        .replaceAll("\\$\\{(\\w+)\\.Arn}/index/\\*", "$1/index/*")
                                : null;
                if (table != null) {
                    statement.path("Action").forEach(action -> granted.add(new Use(action.asText(), table)));
                }
            }
        }
        return granted;
    }

    static Set<Use> on(Set<Use> uses, String... tables) {
        Set<Use> found = new HashSet<>();
        for (Use use : uses) {
            for (String table : tables) {
                if (use.table().equals(table) || use.table().equals(table + "/index/*")) {
                    found.add(use);
                }
            }
        }
        return found;
    }

    /** The actions on each table, its indexes included: what a statement listing both resources grants on either. */
    static Set<Use> byTable(Set<Use> uses) {
        Set<Use> byTable = new HashSet<>();
        uses.forEach(use -> byTable.add(new Use(use.action(), use.table().replace("/index/*", ""))));
        return byTable;
    }

    @Test
    void theScanAndTheApiUseTheFindingTablesWithExactlyTheActionsTheirFunctionsAreGranted(Dynalite dynalite)
            throws IOException {
        Template template = Template.load();
        String stackName = "stack" + Dynalite.newTablePrefix().replace("-", "");
        String prefix = createScanTables(template, dynalite, stackName);
        Set<Use> scanUses = new HashSet<>();
        FindingStore scan = ScanFunctionEnvironment.findingStore(Map.of(
                ServiceTables.TABLE_PREFIX,
                prefix,
                ServiceTables.DYNAMODB_ENDPOINT,
                dynalite.endpoint().toString(),
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test"));
        assertThat(scan).isInstanceOf(DynamoDbFindingStore.class);
        scan = new DynamoDbFindingStore(recording(dynalite.client(), template, stackName, scanUses), prefix);

        // What the scans do: a full scan, a deployment event, a function that is gone, a re-match.
        String orders = "arn:aws:lambda:eu-west-1:111111111111:function:orders";
        String layer = "arn:aws:lambda:eu-west-1:111111111111:layer:libs:1";
        Finding url = new Finding(orders, FindingType.POSTURE, "function-url-public", Severity.HIGH, "", "t", "r");
        scan.findPackage("abc");
        scan.putPackage(FindingFixtures.largePackage("abc", 3_000));
        scan.putPackage(new PackageRecord("abc", List.of(), List.of(), NOW, null));
        scan.packages();
        scan.findLayer(layer);
        scan.putLayer(new LayerRecord(layer, "abc", List.of(), NOW));
        scan.layers();
        FunctionRecord function = new FunctionRecord(
                orders,
                "111111111111",
                "eu-west-1",
                "orders",
                "java21",
                "abc",
                List.of(layer),
                null,
                0,
                List.of(url),
                NOW);
        scan.putFunction(function);
        scan.putFunction(function);
        scan.functions();
        scan.findings(new FindingQuery("orders", null, null));
        scan.removeFunction(orders);
        scan.putFunction(function);
        // The observations the scan compares execution roles with (iam-unused-permissions).
        assertThat(IamSuggestions.source(
                                new DynamoDbStore(recording(dynalite.client(), template, stackName, scanUses), prefix)
                                        .observations())
                        .observed("orders"))
                .isNull();

        Set<Use> apiUses = new HashSet<>();
        DynamoDbStore store = new DynamoDbStore(recording(dynalite.client(), template, stackName, apiUses), prefix);
        WardenApi api = new WardenApi(
                store,
                SigningKey.fromPkcs8Base64(
                        Base64.getEncoder()
                                .encodeToString(
                                        SigningKey.generate().getPrivate().getEncoded()),
                        "key"),
                request -> new Caller(Role.ADMIN, null, "test"),
                null,
                Clock.systemUTC());
        for (String query : new String[] {null, "function=orders", "function=" + orders, "severity=high"}) {
            assertThat(api.handle(new ApiRequest(
                                    "GET",
                                    "/v1/findings",
                                    query,
                                    Map.of(),
                                    new ByteArrayInputStream(new byte[0]),
                                    0,
                                    null))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(api.handle(new ApiRequest(
                                "GET", "/v1/functions", null, Map.of(), new ByteArrayInputStream(new byte[0]), 0, null))
                        .status())
                .isEqualTo(200);

        for (String scanFunction : List.of("ScheduledScanFunction", "DeploymentScanFunction")) {
            Set<Use> granted =
                    on(granted(template, scanFunction), "FindingsTable", "PackagesTable", "ObservationsTable");
            assertThat(granted)
                    .as(scanFunction + ": everything the scan does is allowed")
                    .containsAll(scanUses);
            assertThat(byTable(granted)).as(scanFunction + ": nothing more").isEqualTo(byTable(scanUses));
        }
        Set<Use> apiGranted = on(granted(template, "ApiFunction"), "FindingsTable", "PackagesTable");
        Set<Use> apiUsed = on(apiUses, "FindingsTable", "PackagesTable");
        assertThat(apiGranted)
                .as("ApiFunction: everything the API does is allowed")
                .containsAll(apiUsed);
        assertThat(byTable(apiGranted))
                .as("ApiFunction: nothing more")
                .isEqualTo(byTable(apiUsed))
                .as("the API only reads what the scans write")
                .allSatisfy(
                        use -> assertThat(use.action()).isIn("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"));
    }

    @Test
    void theIngestFunctionStoresWithTheActionsItIsGrantedAndViolationsWithExactlyThose(Dynalite dynalite)
            throws IOException {
        Template template = Template.load();
        String stackName = "ingest" + Dynalite.newTablePrefix().replace("-", "");
        createTemplateTables(template, dynalite.client(), stackName);
        String prefix = tablePrefix(template, "LogIngestFunction", stackName);
        Set<Use> uses = new HashSet<>();
        LogIngest ingest = new LogIngest(
                new DynamoDbStore(recording(dynalite.client(), template, stackName, uses), prefix), Clock.systemUTC());
        String observation = "{\"warden\":\"observation\",\"version\":1,\"id\":\"o-1\",\"function\":\"orders\","
                + "\"functionVersion\":\"1\",\"time\":\"2024-05-01T12:00:00.000Z\",\"dropped\":0,"
                + "\"items\":[{\"kind\":\"dns\",\"name\":\"orders.example.com\",\"count\":1}]}";
        List<LogBatch.LogEvent> lines = List.of(
                new LogBatch.LogEvent(
                        "1",
                        0,
                        ViolationJson.toJsonLine(violation("orders", Action.BLOCKED, NOW.minusSeconds(86_400 * 40)))),
                new LogBatch.LogEvent("2", 0, ViolationJson.toJsonLine(violation("orders", Action.ALERTED, NOW))),
                new LogBatch.LogEvent("3", 0, observation));
        LogBatch batch = new LogBatch(LogBatch.DATA_MESSAGE, "111111111111", "/aws/lambda/orders", "s", lines);

        assertThat(ingest.ingest(batch).accepted()).isEqualTo(2);
        IngestSummary again = ingest.ingest(batch);
        assertThat(again.duplicates()).as("delivered again").isEqualTo(2);
        assertThat(again.duplicateObservations()).as("delivered again").isEqualTo(1);

        // The line's id expires with the table's time to live; what was merged carries no such attribute.
        JsonNode ttl = template.resources().at("/ObservationsTable/Properties/TimeToLiveSpecification");
        assertThat(ttl.path("Enabled").asBoolean()).isTrue();
        String expiry = ttl.path("AttributeName").asText();
        List<Map<String, AttributeValue>> observed = dynalite.client()
                .scan(scan -> scan.tableName(prefix + "observations"))
                .items();
        assertThat(observed)
                .filteredOn(item -> item.containsKey(expiry))
                .singleElement()
                .satisfies(item -> {
                    assertThat(item.get("sk").s()).isEqualTo("line#o-1");
                    assertThat(Instant.ofEpochSecond(
                                    Long.parseLong(item.get(expiry).n())))
                            .isBetween(
                                    Instant.now()
                                            .plus(ObservationStore.LINE_ID_RETENTION)
                                            .minusSeconds(600),
                                    Instant.now().plus(ObservationStore.LINE_ID_RETENTION));
                });
        assertThat(observed).hasSizeGreaterThan(1);

        Set<Use> granted = granted(template, "LogIngestFunction");
        assertThat(granted).as("everything the ingest does is allowed").containsAll(uses);
        assertThat(byTable(on(granted, "ViolationsTable", "FunctionsTable")))
                .as("on the violations and the inventory, nothing more")
                .isEqualTo(byTable(on(uses, "ViolationsTable", "FunctionsTable")));
        assertThat(on(granted, "ObservationsTable"))
                .as("observations are merged as the API merges them (a merge past the cap deletes)")
                .isEqualTo(on(granted(template, "ApiFunction"), "ObservationsTable"))
                .containsAll(on(uses, "ObservationsTable"));
        assertThat(byTable(granted))
                .extracting(Use::table)
                .containsOnly("ViolationsTable", "FunctionsTable", "ObservationsTable");
    }

    /**
     * The policy docs/aws-scanning.md gives the identity running {@code warden aws rematch --table-prefix}: its
     * statements' actions on the table each names ({@code table/warden-findings} is {@code FindingsTable}).
     */
    static Set<Use> documentedRematchPolicy(Template template) throws IOException {
        String doc = Files.readString(Template.repository().resolve("docs/aws-scanning.md"));
        Matcher block = Pattern.compile("```json\\n(\\{[^`]*\"Sid\": \"Rematch[^`]*)```")
                .matcher(doc);
        assertThat(block.find())
                .as("docs/aws-scanning.md: the re-match's policy")
                .isTrue();
        Map<String, String> tables = tableIds(template, "warden");
        Set<Use> documented = new HashSet<>();
        for (JsonNode statement : Template.JSON.readTree(block.group(1)).path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            String resource = statement.path("Resource").asText();
            String table = tables.get(resource.substring(resource.indexOf(":table/") + ":table/".length()));
            assertThat(table).as(resource).isNotNull();
            statement.path("Action").forEach(action -> documented.add(new Use(action.asText(), table)));
        }
        return documented;
    }

    @Test
    void theRematchOfTheDeployedTablesNeedsExactlyTheDocumentedPermissions(Dynalite dynalite, @TempDir Path dbDir)
            throws IOException {
        Template template = Template.load();
        String stackName = "stack" + Dynalite.newTablePrefix().replace("-", "");
        String prefix = createScanTables(template, dynalite, stackName);
        DynamoDbFindingStore scanned = new DynamoDbFindingStore(dynalite.client(), prefix);
        String orders = "arn:aws:lambda:eu-west-1:111111111111:function:orders";
        String layer = "arn:aws:lambda:eu-west-1:111111111111:layer:libs:1";
        scanned.putPackage(FindingFixtures.largePackage("abc", 3_000));
        scanned.putLayer(new LayerRecord(layer, "abc", List.of(), NOW));
        scanned.putFunction(new FunctionRecord(
                orders,
                "111111111111",
                "eu-west-1",
                "orders",
                "java21",
                "abc",
                List.of(layer),
                null,
                0,
                List.of(),
                NOW));

        // What the command does: the tables checked, then the re-match.
        Set<Use> uses = new HashSet<>();
        DynamoDbFindingStore store =
                new DynamoDbFindingStore(recording(dynalite.client(), template, stackName, uses), prefix);
        assertThat(store.missingTables()).isEmpty();
        ScanReport report;
        try (VulnerabilityStore advisories = AwsFixtures.advisories(dbDir, "second")) {
            report = Rematch.run(store, advisories, FindingListener.NONE);
        }
        assertThat(report.failures()).isEmpty();
        assertThat(report.functionsScanned()).isEqualTo(1);
        assertThat(report.layersScanned()).isEqualTo(1);

        assertThat(on(uses, "FindingsTable", "PackagesTable")).isEqualTo(uses);
        assertThat(documentedRematchPolicy(template)).isEqualTo(uses);
    }
}
