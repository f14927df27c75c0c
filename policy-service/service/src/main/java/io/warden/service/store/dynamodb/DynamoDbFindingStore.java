package io.warden.service.store.dynamodb;

import static io.warden.service.store.dynamodb.Items.attribute;
import static io.warden.service.store.dynamodb.Items.failure;
import static io.warden.service.store.dynamodb.Items.gunzip;
import static io.warden.service.store.dynamodb.Items.gzip;
import static io.warden.service.store.dynamodb.Items.key;
import static io.warden.service.store.dynamodb.Items.n;
import static io.warden.service.store.dynamodb.Items.s;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingJson;
import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.LayerRecord;
import io.warden.aws.findings.PackageRecord;
import io.warden.service.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The AWS scan's inventory and findings on DynamoDB, in two tables (see {@link #createTables()} and template.yaml):
 * <ul>
 *   <li>{@code <prefix>findings}, key {@code resource}: one item per function (by unqualified ARN) and per layer
 *       version, {@code kind} {@code function} or {@code layer}, the record as gzipped {@link FindingJson} in
 *       {@code record}, and for functions {@code functionName}, indexed by {@value #BY_FUNCTION_NAME_INDEX} so that a
 *       query by name needs no scan. A put reads the item, then writes it on condition that its {@code version} is
 *       still the one read (retrying otherwise): the findings it returns as new are new across processes and
 *       concurrent puts, without transactions.</li>
 *   <li>{@code <prefix>packages}, key {@code codeSha256} and {@code part}: a package's record gzipped and split into
 *       parts of at most {@value #PART_BYTES} bytes, so that an inventory of thousands of components fits DynamoDB's
 *       400 KB item limit. The head item ({@code part} {@value #HEAD}) holds the first part, the number of parts and
 *       a generation; further parts are {@code <generation>#<n>}. A put writes the new generation's parts, then the
 *       head, then deletes older generations' parts, so a reader never sees a mix.</li>
 * </ul>
 * Listing every function, layer or package scans its table page by page.
 */
public final class DynamoDbFindingStore implements FindingStore {

    public static final String BY_FUNCTION_NAME_INDEX = "byFunctionName";
    /** The gzipped bytes one item holds, well below DynamoDB's 400 KB with the other attributes. */
    static final int PART_BYTES = 300 * 1024;
    /** Functions' and layers' gzipped records are one item each. */
    static final int MAX_RECORD_BYTES = 350 * 1024;

    static final String HEAD = "head";
    /** Attempts of a conditional put that lost to a concurrent one. */
    static final int MAX_PUT_ATTEMPTS = 16;

    private static final String FUNCTION = "function";
    private static final String LAYER = "layer";

    private final DynamoDbClient dynamo;
    private final String findings;
    private final String packages;

    /** @param tablePrefix the prefix of the service's tables ({@code <prefix>findings}, {@code <prefix>packages}) */
    public DynamoDbFindingStore(DynamoDbClient dynamo, String tablePrefix) {
        this.dynamo = dynamo;
        this.findings = tablePrefix + "findings";
        this.packages = tablePrefix + "packages";
    }

    /** Creates the two tables (on demand), as the deployment template does; for local use and tests. */
    public void createTables() {
        ServiceTables.create(
                dynamo,
                CreateTableRequest.builder()
                        .tableName(findings)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("resource", S), attribute("functionName", S))
                        .keySchema(key("resource", KeyType.HASH))
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                                .indexName(BY_FUNCTION_NAME_INDEX)
                                .keySchema(key("functionName", KeyType.HASH))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.ALL)
                                        .build())
                                .build())
                        .build());
        ServiceTables.create(
                dynamo,
                CreateTableRequest.builder()
                        .tableName(packages)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("codeSha256", S), attribute("part", S))
                        .keySchema(key("codeSha256", KeyType.HASH), key("part", KeyType.RANGE))
                        .build());
    }

    /**
     * The store's tables that do not exist ({@code DescribeTable} of each), empty when both do: a store on another
     * prefix or in another region is noticed before anything is read or written.
     */
    public List<String> missingTables() {
        List<String> missing = new ArrayList<>();
        for (String table : List.of(findings, packages)) {
            try {
                dynamo.describeTable(describe -> describe.tableName(table));
            } catch (ResourceNotFoundException e) {
                missing.add(table);
            } catch (SdkException e) {
                throw failure("DynamoDB table " + table + " cannot be reached", e);
            }
        }
        return missing;
    }

    // ---- packages ---------------------------------------------------------------------------------------------

    @Override
    public Optional<PackageRecord> findPackage(String codeSha256) {
        try {
            for (int attempt = 1; ; attempt++) {
                List<Map<String, AttributeValue>> items = Items.queryAll(
                        dynamo,
                        QueryRequest.builder()
                                .tableName(packages)
                                .consistentRead(true)
                                .keyConditionExpression("codeSha256 = :sha")
                                .expressionAttributeValues(Map.of(":sha", s(codeSha256)))
                                .build());
                if (items.isEmpty()) {
                    return Optional.empty();
                }
                Optional<PackageRecord> record = assemble(items);
                if (record.isPresent() || attempt == MAX_PUT_ATTEMPTS) {
                    return Optional.of(record.orElseThrow(
                            () -> new StoreException("package " + codeSha256 + ": its parts are incomplete", null)));
                }
                // Read while a put replaced the parts: read again.
            }
        } catch (SdkException e) {
            throw failure("cannot read package " + codeSha256, e);
        }
    }

    @Override
    public void putPackage(PackageRecord record) {
        byte[] compressed = gzip(FindingJson.bytes(FindingJson.toJson(record)));
        int parts = Math.max(1, (compressed.length + PART_BYTES - 1) / PART_BYTES);
        String generation = UUID.randomUUID().toString();
        try {
            for (int i = 1; i < parts; i++) {
                dynamo.putItem(PutItemRequest.builder()
                        .tableName(packages)
                        .item(Map.of(
                                "codeSha256",
                                s(record.codeSha256()),
                                "part",
                                s(generation + "#" + i),
                                "data",
                                part(compressed, i)))
                        .build());
            }
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(packages)
                    .item(Map.of(
                            "codeSha256",
                            s(record.codeSha256()),
                            "part",
                            s(HEAD),
                            "generation",
                            s(generation),
                            "parts",
                            n(parts),
                            "data",
                            part(compressed, 0)))
                    .build());
            for (Map<String, AttributeValue> stored : Items.queryAll(
                    dynamo,
                    QueryRequest.builder()
                            .tableName(packages)
                            .consistentRead(true)
                            .keyConditionExpression("codeSha256 = :sha")
                            .expressionAttributeValues(Map.of(":sha", s(record.codeSha256())))
                            .projectionExpression("codeSha256, #part")
                            .expressionAttributeNames(Map.of("#part", "part"))
                            .build())) {
                String part = stored.get("part").s();
                if (!part.equals(HEAD) && !part.startsWith(generation + "#")) {
                    dynamo.deleteItem(delete -> delete.tableName(packages).key(stored));
                }
            }
        } catch (SdkException e) {
            throw failure("cannot store package " + record.codeSha256(), e);
        }
    }

    @Override
    public List<PackageRecord> packages() {
        try {
            Map<String, List<Map<String, AttributeValue>>> bySha = new LinkedHashMap<>();
            for (Map<String, AttributeValue> item : Items.scanAll(
                    dynamo, ScanRequest.builder().tableName(packages).build())) {
                bySha.computeIfAbsent(item.get("codeSha256").s(), sha -> new ArrayList<>())
                        .add(item);
            }
            List<PackageRecord> records = new ArrayList<>();
            for (String sha : bySha.keySet()) {
                // A package being replaced during the scan is read again on its own.
                assemble(bySha.get(sha)).or(() -> findPackage(sha)).ifPresent(records::add);
            }
            records.sort(Comparator.comparing(PackageRecord::codeSha256));
            return records;
        } catch (SdkException e) {
            throw failure("cannot list packages", e);
        }
    }

    private static AttributeValue part(byte[] compressed, int index) {
        int from = index * PART_BYTES;
        return AttributeValue.fromB(SdkBytes.fromByteArray(
                Arrays.copyOfRange(compressed, from, Math.min(compressed.length, from + PART_BYTES))));
    }

    /** The record the head and its generation's parts hold; empty when a part is missing (a put is under way). */
    private static Optional<PackageRecord> assemble(List<Map<String, AttributeValue>> items) {
        Map<String, AttributeValue> head = items.stream()
                .filter(item -> item.get("part").s().equals(HEAD))
                .findFirst()
                .orElse(null);
        if (head == null) {
            return Optional.empty();
        }
        String generation = head.get("generation").s();
        int parts = Integer.parseInt(head.get("parts").n());
        Map<String, byte[]> byPart = new HashMap<>();
        items.forEach(
                item -> byPart.put(item.get("part").s(), item.get("data").b().asByteArray()));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        compressed.writeBytes(byPart.get(HEAD));
        for (int i = 1; i < parts; i++) {
            byte[] part = byPart.get(generation + "#" + i);
            if (part == null) {
                return Optional.empty();
            }
            compressed.writeBytes(part);
        }
        return Optional.of(FindingJson.packageRecord(FindingJson.parse(gunzip(compressed.toByteArray()))));
    }

    // ---- functions and layers ---------------------------------------------------------------------------------

    @Override
    public Optional<FunctionRecord> findFunction(String functionArn) {
        return get(functionArn, FUNCTION).map(DynamoDbFindingStore::function);
    }

    @Override
    public List<Finding> putFunction(FunctionRecord record) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put("functionName", s(record.functionName()));
        return put(
                record.functionArn(),
                FUNCTION,
                FindingJson.toJson(record, true),
                attributes,
                record.findings(),
                item -> function(item).findings());
    }

    @Override
    public void removeFunction(String functionArn) {
        try {
            dynamo.deleteItem(delete -> delete.tableName(findings).key(Map.of("resource", s(functionArn))));
        } catch (SdkException e) {
            throw failure("cannot remove function " + functionArn, e);
        }
    }

    @Override
    public List<FunctionRecord> functions() {
        return all(FUNCTION).stream()
                .map(DynamoDbFindingStore::function)
                .sorted(Comparator.comparing(FunctionRecord::functionArn))
                .toList();
    }

    @Override
    public List<FunctionRecord> functionsNamed(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return findFunction(nameOrArn).stream().toList();
        }
        try {
            return Items.queryAll(
                            dynamo,
                            QueryRequest.builder()
                                    .tableName(findings)
                                    .indexName(BY_FUNCTION_NAME_INDEX)
                                    .keyConditionExpression("functionName = :name")
                                    .expressionAttributeValues(Map.of(":name", s(nameOrArn)))
                                    .build())
                    .stream()
                    .map(DynamoDbFindingStore::function)
                    .sorted(Comparator.comparing(FunctionRecord::functionArn))
                    .toList();
        } catch (SdkException e) {
            throw failure("cannot look up function " + nameOrArn, e);
        }
    }

    @Override
    public Optional<LayerRecord> findLayer(String layerVersionArn) {
        return get(layerVersionArn, LAYER).map(DynamoDbFindingStore::layer);
    }

    @Override
    public List<Finding> putLayer(LayerRecord record) {
        return put(
                record.layerVersionArn(),
                LAYER,
                FindingJson.toJson(record),
                new HashMap<>(),
                record.findings(),
                item -> layer(item).findings());
    }

    @Override
    public List<LayerRecord> layers() {
        return all(LAYER).stream()
                .map(DynamoDbFindingStore::layer)
                .sorted(Comparator.comparing(LayerRecord::layerVersionArn))
                .toList();
    }

    private static FunctionRecord function(Map<String, AttributeValue> item) {
        return FindingJson.function(record(item));
    }

    private static LayerRecord layer(Map<String, AttributeValue> item) {
        return FindingJson.layer(record(item));
    }

    private static JsonNode record(Map<String, AttributeValue> item) {
        return FindingJson.parse(gunzip(item.get("record").b().asByteArray()));
    }

    private Optional<Map<String, AttributeValue>> get(String resource, String kind) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName(findings)
                            .key(Map.of("resource", s(resource)))
                            .consistentRead(true))
                    .item();
            return item == null
                            || item.isEmpty()
                            || !kind.equals(item.get("kind").s())
                    ? Optional.empty()
                    : Optional.of(item);
        } catch (SdkException e) {
            throw failure("cannot read " + kind + " " + resource, e);
        }
    }

    private List<Map<String, AttributeValue>> all(String kind) {
        try {
            return Items.scanAll(
                    dynamo,
                    ScanRequest.builder()
                            .tableName(findings)
                            .filterExpression("#kind = :kind")
                            .expressionAttributeNames(Map.of("#kind", "kind"))
                            .expressionAttributeValues(Map.of(":kind", s(kind)))
                            .build());
        } catch (SdkException e) {
            throw failure("cannot list the " + kind + "s", e);
        }
    }

    /**
     * Replaces the resource's item on condition that no other put replaced it since it was read, and answers the
     * findings the replaced item did not have.
     */
    private List<Finding> put(
            String resource,
            String kind,
            JsonNode json,
            Map<String, AttributeValue> attributes,
            List<Finding> after,
            Function<Map<String, AttributeValue>, List<Finding>> findingsOf) {
        byte[] record = gzip(FindingJson.bytes(json));
        if (record.length > MAX_RECORD_BYTES) {
            throw new StoreException(
                    kind + " " + resource + ": its record is " + record.length + " bytes compressed, more than the "
                            + MAX_RECORD_BYTES + " a DynamoDB item holds",
                    null);
        }
        try {
            for (int attempt = 1; attempt <= MAX_PUT_ATTEMPTS; attempt++) {
                Map<String, AttributeValue> stored = dynamo.getItem(get -> get.tableName(findings)
                                .key(Map.of("resource", s(resource)))
                                .consistentRead(true))
                        .item();
                boolean exists = stored != null && !stored.isEmpty();
                long version = exists ? Long.parseLong(stored.get("version").n()) : 0;
                Map<String, AttributeValue> item = new HashMap<>(attributes);
                item.put("resource", s(resource));
                item.put("kind", s(kind));
                item.put("version", n(version + 1));
                item.put("record", AttributeValue.fromB(SdkBytes.fromByteArray(record)));
                PutItemRequest.Builder put =
                        PutItemRequest.builder().tableName(findings).item(item);
                if (exists) {
                    put.conditionExpression("#version = :version")
                            .expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(Map.of(":version", n(version)));
                } else {
                    put.conditionExpression("attribute_not_exists(#resource)")
                            .expressionAttributeNames(Map.of("#resource", "resource"));
                }
                try {
                    dynamo.putItem(put.build());
                } catch (ConditionalCheckFailedException concurrentPut) {
                    continue;
                }
                List<Finding> before =
                        exists && kind.equals(stored.get("kind").s()) ? findingsOf.apply(stored) : List.of();
                return FindingStore.added(before, after);
            }
        } catch (SdkException e) {
            throw failure("cannot store " + kind + " " + resource, e);
        }
        throw new StoreException(
                "cannot store " + kind + " " + resource + ": " + MAX_PUT_ATTEMPTS
                        + " concurrent writes in a row replaced it first",
                null);
    }
}
