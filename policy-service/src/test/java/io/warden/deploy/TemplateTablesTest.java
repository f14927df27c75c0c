package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.service.lambda.ApiGatewayHandler;
import io.warden.service.store.Dynalite;
import io.warden.service.store.Report;
import io.warden.service.store.ScanRecord;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.dynamodb.DynamoDbStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * attribute is the one the store writes.
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
            properties.path("AttributeDefinitions").forEach(attribute -> attributes.add(AttributeDefinition.builder()
                    .attributeName(attribute.path("AttributeName").asText())
                    .attributeType(attribute.path("AttributeType").asText()).build()));
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            properties.path("GlobalSecondaryIndexes").forEach(index -> indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.path("IndexName").asText())
                    .keySchema(keys(index.path("KeySchema")))
                    .projection(Projection.builder().projectionType(index.at("/Projection/ProjectionType").asText()).build())
                    .build()));
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(properties.at("/TableName/Fn::Sub").asText().replace("${AWS::StackName}", stackName))
                    .billingMode(properties.path("BillingMode").asText())
                    .attributeDefinitions(attributes)
                    .keySchema(keys(properties.path("KeySchema")))
                    .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes)
                    .build());
        });
    }

    static List<KeySchemaElement> keys(JsonNode keySchema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keySchema.forEach(key -> keys.add(KeySchemaElement.builder().attributeName(key.path("AttributeName").asText())
                .keyType(key.path("KeyType").asText()).build()));
        return keys;
    }

    static Violation violation(String function, Action action, Instant time) {
        return Violation.builder().time(time).function(function).category(Category.NETWORK).operation("connect")
                .target("evil.example:443").action(action).rule("network.allow (no match)").count(1).build();
    }

    @Test
    void theServiceStoreWorksOnTheTemplatesTables(Dynalite dynalite) throws IOException {
        Template template = Template.load();
        String stackName = "stack" + Dynalite.newTablePrefix().replace("-", "");
        DynamoDbClient dynamo = dynalite.client();
        createTemplateTables(template, dynamo, stackName);
        String prefix = template.resources().at("/ApiFunction/Properties/Environment/Variables")
                .path(ApiGatewayHandler.TABLE_PREFIX).path("Fn::Sub").asText().replace("${AWS::StackName}", stackName);
        DynamoDbStore store = new DynamoDbStore(dynamo, prefix);

        store.ingest(new Report("orders", "0.1.0", Mode.BLOCK, NOW, List.of(
                violation("orders", Action.BLOCKED, NOW.minusSeconds(60)),
                violation("orders", Action.ALERTED, NOW.minusSeconds(30)))));
        store.ingest(new Report("payments", "0.1.0", Mode.ALERT, NOW, List.of(
                violation("payments", Action.ALERTED, NOW.minusSeconds(10)))));
        store.putPolicy(new StoredPolicy("orders", "{\"version\":1}", NOW));
        store.putToken(new TokenRecord("ab".repeat(32), "reporter", "orders", NOW));
        store.putScan(new ScanRecord("scan-1", "orders", NOW, "{\"findings\":0}", "{\"components\":[]}"));
        store.checkHealth();

        assertThat(store.violations(new ViolationQuery("orders", null, null, null, null, 10, null)).events()).hasSize(2);
        assertThat(store.violations(new ViolationQuery(null, null, Action.ALERTED, null, null, 10, null)).events())
                .hasSize(2);
        assertThat(store.functions()).extracting(record -> record.name() + " " + record.blocked() + "/"
                + record.alerted()).containsExactly("orders 1/1", "payments 0/1");
        assertThat(store.policy("orders")).map(StoredPolicy::json).contains("{\"version\":1}");
        assertThat(store.token("ab".repeat(32))).map(TokenRecord::function).contains("orders");
        assertThat(store.scan("scan-1")).map(ScanRecord::resultJson).contains("{\"components\":[]}");

        JsonNode ttl = template.resources().at("/ViolationsTable/Properties/TimeToLiveSpecification");
        assertThat(ttl.path("Enabled").asBoolean()).isTrue();
        List<Map<String, AttributeValue>> items = dynamo.scan(scan -> scan.tableName(prefix + "violations")).items();
        assertThat(items).hasSize(3).allSatisfy(item -> {
            AttributeValue expiresAt = item.get(ttl.path("AttributeName").asText());
            assertThat(expiresAt).as("the time-to-live attribute of " + item.get("id")).isNotNull();
            assertThat(Instant.ofEpochSecond(Long.parseLong(expiresAt.n())))
                    .isBetween(NOW.plus(DynamoDbStore.VIOLATION_RETENTION).minusSeconds(120),
                            NOW.plus(DynamoDbStore.VIOLATION_RETENTION));
        });
    }
}
