package io.warden.service.store.dynamodb;

import static io.warden.service.store.dynamodb.Items.attribute;
import static io.warden.service.store.dynamodb.Items.failure;
import static io.warden.service.store.dynamodb.Items.gunzip;
import static io.warden.service.store.dynamodb.Items.gzip;
import static io.warden.service.store.dynamodb.Items.key;
import static io.warden.service.store.dynamodb.Items.n;
import static io.warden.service.store.dynamodb.Items.s;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

import io.warden.policy.Action;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.store.FunctionRecord;
import io.warden.service.store.IngestResult;
import io.warden.service.store.Report;
import io.warden.service.store.ScanRecord;
import io.warden.service.store.Store;
import io.warden.service.store.StoreException;
import io.warden.service.store.StoredPolicy;
import io.warden.service.store.TokenRecord;
import io.warden.service.store.ViolationCursor;
import io.warden.service.store.ViolationPage;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.observations.ObservationStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The store on DynamoDB, in five tables named {@code <prefix>violations}, {@code functions}, {@code policies},
 * {@code scans} and {@code tokens} (see {@link #createTables()} and docs/api.md), the AWS scan's two of
 * {@link DynamoDbFindingStore} and the observations' one of {@link DynamoDbObservationStore}. It uses single-item operations only, no transactions:
 * <ul>
 *   <li>each event is a conditional put on its function and id (the key {@code id} is {@code function#id}), so a
 *       retried report stores nothing twice, one function's reporter cannot pre-empt another's events by reusing
 *       their ids, and the answer counts exactly the events this call stored;</li>
 *   <li>a function's item records the first and last month of its events before the events are written, so the
 *       newest-first listing over every function (which walks the {@code byMonth} index month by month) never misses
 *       one;</li>
 *   <li>the violation counts of the inventory are added after the events are written: if the service dies in
 *       between, the events are stored (and the retry sees them as duplicates) but the counts stay short by them.</li>
 * </ul>
 * Violations carry {@code expiresAt} (epoch seconds) for DynamoDB's time to live, which the deployment template turns
 * on. The violations table holds its schema's version in one item ({@link #migrate()}).
 */
public final class DynamoDbStore implements Store {

    /** How long violations are kept when time to live is on for the violations table. */
    public static final Duration VIOLATION_RETENTION = Duration.ofDays(90);

    public static final String BY_FUNCTION_INDEX = "byFunction";
    public static final String BY_MONTH_INDEX = "byMonth";
    /** DynamoDB's item limit is 400 KB; a gzipped scan result must leave room for the other attributes. */
    static final int MAX_SCAN_RESULT_GZIP_BYTES = 350 * 1024;

    static final int WRITE_THREADS = 8;

    /**
     * The version of the violations table's items, kept in its item {@value #SCHEMA_ITEM_KEY} (which has no
     * {@code function}, {@code month} or {@code sk}, so no index holds it). 1: keyed by the event id alone (no item
     * says so); 2: keyed by {@code function#id}, with {@code eventId}, and {@code sk} of (time, function, id).
     */
    public static final int SCHEMA_VERSION = 2;
    /** Never an event's key: those start with a function name, which has no {@code #}. */
    static final String SCHEMA_ITEM_KEY = "#schema";
    /** Above every sort key: sort keys start with digits. */
    private static final String SORT_KEY_MAX = "~";

    private static final String SORT_KEY_MIN = "0";

    private final DynamoDbClient dynamo;
    private final String violations;
    private final String functions;
    private final String policies;
    private final String scans;
    private final String tokens;
    private final DynamoDbFindingStore findings;
    private final DynamoDbObservationStore observations;
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITE_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "warden-dynamodb-writer");
        thread.setDaemon(true);
        return thread;
    });
    /** Month ranges this process already recorded per function, to skip the conditional updates. */
    private final Map<String, MonthRange> recordedMonths = new ConcurrentHashMap<>();

    private record MonthRange(String earliest, String latest) {
        boolean covers(String earliestMonth, String latestMonth) {
            return earliest.compareTo(earliestMonth) <= 0 && latest.compareTo(latestMonth) >= 0;
        }
    }

    public DynamoDbStore(DynamoDbClient dynamo, String tablePrefix) {
        this(dynamo, tablePrefix, ObservationStore.Limits.DEFAULT);
    }

    /** @param observationLimits the caps on each function's observations */
    public DynamoDbStore(DynamoDbClient dynamo, String tablePrefix, ObservationStore.Limits observationLimits) {
        this.dynamo = dynamo;
        this.violations = tablePrefix + "violations";
        this.functions = tablePrefix + "functions";
        this.policies = tablePrefix + "policies";
        this.scans = tablePrefix + "scans";
        this.tokens = tablePrefix + "tokens";
        this.findings = new DynamoDbFindingStore(dynamo, tablePrefix);
        this.observations = new DynamoDbObservationStore(dynamo, tablePrefix, writers, observationLimits);
    }

    /**
     * Creates the five tables (on demand) and those of {@link DynamoDbFindingStore} and
     * {@link DynamoDbObservationStore}, as the deployment template does;
     * for local use and tests.
     */
    public void createTables() {
        Projection all = Projection.builder().projectionType(ProjectionType.ALL).build();
        ServiceTables.create(
                dynamo,
                CreateTableRequest.builder()
                        .tableName(violations)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                attribute("id", S), attribute("function", S), attribute("month", S), attribute("sk", S))
                        .keySchema(key("id", KeyType.HASH))
                        .globalSecondaryIndexes(
                                GlobalSecondaryIndex.builder()
                                        .indexName(BY_FUNCTION_INDEX)
                                        .projection(all)
                                        .keySchema(key("function", KeyType.HASH), key("sk", KeyType.RANGE))
                                        .build(),
                                GlobalSecondaryIndex.builder()
                                        .indexName(BY_MONTH_INDEX)
                                        .projection(all)
                                        .keySchema(key("month", KeyType.HASH), key("sk", KeyType.RANGE))
                                        .build())
                        .build());
        for (String[] table :
                new String[][] {{functions, "name"}, {policies, "function"}, {scans, "id"}, {tokens, "sha256"}}) {
            ServiceTables.create(
                    dynamo,
                    CreateTableRequest.builder()
                            .tableName(table[0])
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(attribute(table[1], S))
                            .keySchema(key(table[1], KeyType.HASH))
                            .build());
        }
        findings.createTables();
        observations.createTable();
        writeSchemaVersion();
    }

    /**
     * Brings the violations table to {@link #SCHEMA_VERSION}; the API function calls it when it starts. Version 1 items
     * (keyed by the event id alone) are copied to their version 2 key and then deleted, one by one, each step
     * conditional, so that concurrent runs and a run that stopped half-way (the next one goes on) store every event
     * once; the version is written last. A table of a later version is refused and left as it is.
     */
    public void migrate() {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName(violations)
                            .key(Map.of("id", s(SCHEMA_ITEM_KEY)))
                            .consistentRead(true))
                    .item();
            int version = item == null || !item.containsKey("schemaVersion")
                    ? 1
                    : Integer.parseInt(item.get("schemaVersion").n());
            if (version > SCHEMA_VERSION) {
                throw new StoreException(
                        "the DynamoDB table " + violations + " has schema version " + version
                                + ", newer than this Warden's (" + SCHEMA_VERSION + "): use the Warden that wrote it",
                        null);
            }
            if (version == SCHEMA_VERSION) {
                return;
            }
            for (Map<String, AttributeValue> old : dynamo.scanPaginator(ScanRequest.builder()
                            .tableName(violations)
                            .filterExpression("attribute_not_exists(eventId) AND attribute_exists(#function)")
                            .expressionAttributeNames(Map.of("#function", "function"))
                            .consistentRead(true)
                            .build())
                    .items()) {
                moveToFunctionKey(old);
            }
            writeSchemaVersion();
        } catch (SdkException e) {
            throw failure("cannot bring the DynamoDB table " + violations + " to schema version " + SCHEMA_VERSION, e);
        }
    }

    private void moveToFunctionKey(Map<String, AttributeValue> old) {
        String function = old.get("function").s();
        String id = old.get("id").s();
        long time = Long.parseLong(old.get("sk").s().substring(0, PAD_DIGITS));
        Map<String, AttributeValue> moved = new HashMap<>(old);
        moved.put("id", s(eventKey(function, id)));
        moved.put("eventId", s(id));
        moved.put("sk", s(sortKey(time, function, id)));
        try {
            dynamo.putItem(
                    put -> put.tableName(violations).item(moved).conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException movedAlready) {
            // A concurrent or earlier run copied it.
        }
        try {
            dynamo.deleteItem(delete -> delete.tableName(violations)
                    .key(Map.of("id", old.get("id")))
                    .conditionExpression("attribute_not_exists(eventId)"));
        } catch (ConditionalCheckFailedException deletedAlready) {
            // Gone, or the key is now a version 2 item's.
        }
    }

    private void writeSchemaVersion() {
        dynamo.putItem(put ->
                put.tableName(violations).item(Map.of("id", s(SCHEMA_ITEM_KEY), "schemaVersion", n(SCHEMA_VERSION))));
    }

    // ---- reports ----------------------------------------------------------------------------------------------

    @Override
    public IngestResult ingest(Report report) {
        try {
            if (!report.events().isEmpty()) {
                recordMonths(report);
            }
            List<CompletableFuture<Boolean>> puts =
                    new ArrayList<>(report.events().size());
            for (Violation event : report.events()) {
                puts.add(CompletableFuture.supplyAsync(() -> putIfAbsent(report, event), writers));
            }
            int accepted = 0;
            long blocked = 0;
            long alerted = 0;
            for (int i = 0; i < puts.size(); i++) {
                if (puts.get(i).join()) {
                    Violation event = report.events().get(i);
                    accepted++;
                    if (event.action() == Action.BLOCKED) {
                        blocked += event.count();
                    } else {
                        alerted += event.count();
                    }
                }
            }
            updateFunction(report, blocked, alerted);
            return new IngestResult(accepted, report.events().size() - accepted);
        } catch (CompletionException e) {
            throw failure("cannot store the report of " + report.function(), e.getCause());
        } catch (SdkException e) {
            throw failure("cannot store the report of " + report.function(), e);
        }
    }

    private boolean putIfAbsent(Report report, Violation event) {
        long time = event.time().toEpochMilli();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(eventKey(report.function(), event.id())));
        item.put("eventId", s(event.id()));
        item.put("function", s(report.function()));
        item.put("month", s(month(event.time())));
        item.put("sk", s(sortKey(time, report.function(), event.id())));
        item.put("category", s(event.category().jsonName()));
        item.put("action", s(event.action().jsonName()));
        item.put("target", s(event.target()));
        item.put("count", n(event.count()));
        item.put("receivedAt", n(report.receivedAt().toEpochMilli()));
        item.put("expiresAt", n(event.time().plus(VIOLATION_RETENTION).getEpochSecond()));
        item.put("event", s(ViolationJson.toJsonLine(event)));
        try {
            dynamo.putItem(put -> put.tableName(violations).item(item).conditionExpression("attribute_not_exists(id)"));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    /** Widens the function's recorded month range to the report's events, before they are written. */
    private void recordMonths(Report report) {
        String earliest = report.events().stream()
                .map(e -> month(e.time()))
                .min(Comparator.naturalOrder())
                .orElseThrow();
        String latest = report.events().stream()
                .map(e -> month(e.time()))
                .max(Comparator.naturalOrder())
                .orElseThrow();
        MonthRange known = recordedMonths.get(report.function());
        if (known != null && known.covers(earliest, latest)) {
            return;
        }
        Map<String, AttributeValue> key = Map.of("name", s(report.function()));
        try {
            dynamo.updateItem(update -> update.tableName(functions)
                    .key(key)
                    .updateExpression("SET earliestMonth = :m, firstSeen = if_not_exists(firstSeen, :now)")
                    .conditionExpression("attribute_not_exists(earliestMonth) OR earliestMonth > :m")
                    .expressionAttributeValues(Map.of(
                            ":m", s(earliest), ":now", n(report.receivedAt().toEpochMilli()))));
        } catch (ConditionalCheckFailedException alreadyEarlier) {
            // Recorded already.
        }
        try {
            dynamo.updateItem(update -> update.tableName(functions)
                    .key(key)
                    .updateExpression("SET latestMonth = :m")
                    .conditionExpression("attribute_not_exists(latestMonth) OR latestMonth < :m")
                    .expressionAttributeValues(Map.of(":m", s(latest))));
        } catch (ConditionalCheckFailedException alreadyLater) {
            // Recorded already.
        }
        recordedMonths.merge(
                report.function(),
                new MonthRange(earliest, latest),
                (a, b) -> new MonthRange(min(a.earliest(), b.earliest()), max(a.latest(), b.latest())));
    }

    private void updateFunction(Report report, long blocked, long alerted) {
        StringBuilder set = new StringBuilder("SET firstSeen = if_not_exists(firstSeen, :now), lastSeen = :now");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", n(report.receivedAt().toEpochMilli()));
        values.put(":blocked", n(blocked));
        values.put(":alerted", n(alerted));
        Map<String, String> names = new HashMap<>();
        if (report.agentVersion() != null) {
            set.append(", agentVersion = :version");
            values.put(":version", s(report.agentVersion()));
        }
        if (report.mode() != null) {
            set.append(", #mode = :mode");
            names.put("#mode", "mode");
            values.put(":mode", s(report.mode().jsonName()));
        }
        dynamo.updateItem(update -> update.tableName(functions)
                .key(Map.of("name", s(report.function())))
                .updateExpression(set + " ADD blocked :blocked, alerted :alerted")
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values));
    }

    // ---- reading violations and functions ---------------------------------------------------------------------

    @Override
    public ViolationPage violations(ViolationQuery query) {
        try {
            String low =
                    query.since() == null ? SORT_KEY_MIN : pad(query.since().toEpochMilli());
            String high = SORT_KEY_MAX;
            if (query.until() != null) {
                high = pad(query.until().toEpochMilli());
            }
            if (query.after() != null) {
                high = min(
                        high,
                        sortKey(
                                query.after().timeMillis(),
                                query.after().function(),
                                query.after().id()));
            }
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            int wanted = query.limit() + 1;
            if (query.function() != null) {
                queryPartition(BY_FUNCTION_INDEX, "function", query.function(), low, high, query, wanted, items);
            } else {
                for (String month : monthsNewestFirst(query, high)) {
                    if (items.size() >= wanted) {
                        break;
                    }
                    queryPartition(BY_MONTH_INDEX, "month", month, low, high, query, wanted, items);
                }
            }
            List<String> events = new ArrayList<>();
            ViolationCursor last = null;
            for (Map<String, AttributeValue> item : items.subList(0, Math.min(query.limit(), items.size()))) {
                events.add(item.get("event").s());
                last = cursor(item);
            }
            return new ViolationPage(events, items.size() > query.limit() ? last : null);
        } catch (SdkException e) {
            throw failure("cannot list violations", e);
        }
    }

    /** Adds the partition's items between low and high (high itself excluded), newest first, until there are enough. */
    private void queryPartition(
            String index,
            String keyName,
            String keyValue,
            String low,
            String high,
            ViolationQuery query,
            int wanted,
            List<Map<String, AttributeValue>> items) {
        Map<String, String> names = new HashMap<>(Map.of("#key", keyName));
        Map<String, AttributeValue> values =
                new HashMap<>(Map.of(":key", s(keyValue), ":low", s(low), ":high", s(high)));
        List<String> filters = new ArrayList<>();
        if (query.category() != null) {
            names.put("#category", "category");
            values.put(":category", s(query.category().jsonName()));
            filters.add("#category = :category");
        }
        if (query.action() != null) {
            names.put("#action", "action");
            values.put(":action", s(query.action().jsonName()));
            filters.add("#action = :action");
        }
        if (query.target() != null) {
            names.put("#target", "target");
            values.put(":target", s(query.target()));
            filters.add("#target = :target");
        }
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            int remaining = wanted - items.size();
            QueryResponse page = dynamo.query(QueryRequest.builder()
                    .tableName(violations)
                    .indexName(index)
                    .keyConditionExpression("#key = :key AND sk BETWEEN :low AND :high")
                    .filterExpression(filters.isEmpty() ? null : String.join(" AND ", filters))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(remaining + 1)
                    .exclusiveStartKey(exclusiveStart)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (!item.get("sk").s().equals(high) && items.size() < wanted) {
                    items.add(item);
                }
            }
            start = Items.next(page.hasLastEvaluatedKey(), page.lastEvaluatedKey());
        } while (start != null && items.size() < wanted);
    }

    /** The months that can hold events of the query, newest first: within the months any function recorded. */
    private List<String> monthsNewestFirst(ViolationQuery query, String highSortKey) {
        String earliest = null;
        String latest = null;
        for (Map<String, AttributeValue> item : Items.scanAll(
                dynamo,
                ScanRequest.builder()
                        .tableName(functions)
                        .projectionExpression("earliestMonth, latestMonth")
                        .build())) {
            if (item.containsKey("earliestMonth")) {
                earliest = earliest == null
                        ? item.get("earliestMonth").s()
                        : min(earliest, item.get("earliestMonth").s());
            }
            if (item.containsKey("latestMonth")) {
                latest = latest == null
                        ? item.get("latestMonth").s()
                        : max(latest, item.get("latestMonth").s());
            }
        }
        if (earliest == null) {
            return List.of();
        }
        if (query.since() != null) {
            earliest = max(earliest, month(query.since()));
        }
        if (!highSortKey.equals(SORT_KEY_MAX)) {
            latest = min(latest, month(Instant.ofEpochMilli(Long.parseLong(highSortKey.substring(0, PAD_DIGITS)))));
        }
        List<String> months = new ArrayList<>();
        YearMonth first = YearMonth.parse(earliest);
        for (YearMonth month = YearMonth.parse(latest); !month.isBefore(first); month = month.minusMonths(1)) {
            months.add(month.toString());
        }
        return months;
    }

    @Override
    public List<FunctionRecord> functions() {
        try {
            List<Map<String, AttributeValue>> items = Items.scanAll(
                    dynamo, ScanRequest.builder().tableName(functions).build());
            List<FunctionRecord> records = new ArrayList<>();
            for (Map<String, AttributeValue> item : items) {
                ScanRecord latestScan = null;
                if (item.containsKey("latestScanId")) {
                    latestScan = new ScanRecord(
                            item.get("latestScanId").s(),
                            item.get("name").s(),
                            Instant.ofEpochMilli(
                                    Long.parseLong(item.get("latestScanAt").n())),
                            item.get("latestScanSummary").s(),
                            null);
                }
                records.add(new FunctionRecord(
                        item.get("name").s(),
                        string(item, "agentVersion"),
                        string(item, "mode"),
                        instant(item, "firstSeen"),
                        instant(item, "lastSeen"),
                        number(item, "blocked"),
                        number(item, "alerted"),
                        latestScan));
            }
            records.sort(Comparator.comparing(FunctionRecord::name));
            return records;
        } catch (SdkException e) {
            throw failure("cannot read the function inventory", e);
        }
    }

    // ---- policies, scans, tokens ------------------------------------------------------------------------------

    /**
     * Reads the stored revision and writes on condition that it is still the one read (retrying when a concurrent
     * change came first), so that revisions only grow.
     */
    @Override
    public StoredPolicy putPolicy(String function, String json, Instant updatedAt) {
        try {
            while (true) {
                Optional<StoredPolicy> stored = policy(function);
                long revision = updatedAt.toEpochMilli();
                Map<String, AttributeValue> item = new HashMap<>();
                item.put("function", s(function));
                item.put("policy", s(json));
                item.put("updatedAt", n(updatedAt.toEpochMilli()));
                PutItemRequest.Builder put = PutItemRequest.builder().tableName(policies);
                if (stored.isPresent()) {
                    revision = Math.max(revision, stored.get().revision() + 1);
                    put.conditionExpression(
                                    "updatedAt = :updatedAt AND (attribute_not_exists(revision) OR revision = :revision)")
                            .expressionAttributeValues(Map.of(
                                    ":updatedAt",
                                    n(stored.get().updatedAt().toEpochMilli()),
                                    ":revision",
                                    n(stored.get().revision())));
                } else {
                    put.conditionExpression("attribute_not_exists(#function)")
                            .expressionAttributeNames(Map.of("#function", "function"));
                }
                item.put("revision", n(revision));
                try {
                    dynamo.putItem(put.item(item).build());
                    return new StoredPolicy(function, json, updatedAt, revision);
                } catch (ConditionalCheckFailedException changedMeanwhile) {
                    // Another change came first: read it and go above it.
                }
            }
        } catch (SdkException e) {
            throw failure("cannot store the policy of " + function, e);
        }
    }

    @Override
    public Optional<StoredPolicy> policy(String function) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName(policies)
                            .key(Map.of("function", s(function)))
                            .consistentRead(true))
                    .item();
            return item == null || item.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new StoredPolicy(
                            function,
                            item.get("policy").s(),
                            instant(item, "updatedAt"),
                            // A policy stored before revisions has the time it was stored as its revision.
                            item.containsKey("revision") ? number(item, "revision") : number(item, "updatedAt")));
        } catch (SdkException e) {
            throw failure("cannot read the policy of " + function, e);
        }
    }

    @Override
    public void putScan(ScanRecord scan) {
        byte[] result = gzip(scan.resultJson().getBytes(StandardCharsets.UTF_8));
        if (result.length > MAX_SCAN_RESULT_GZIP_BYTES) {
            throw new StoreException(
                    "scan " + scan.id() + ": its result is " + result.length + " bytes compressed, more than the "
                            + MAX_SCAN_RESULT_GZIP_BYTES + " a DynamoDB item can hold",
                    null);
        }
        try {
            dynamo.putItem(put -> put.tableName(scans)
                    .item(Map.of(
                            "id",
                            s(scan.id()),
                            "function",
                            s(scan.function()),
                            "createdAt",
                            n(scan.createdAt().toEpochMilli()),
                            "summary",
                            s(scan.summaryJson()),
                            "result",
                            AttributeValue.fromB(SdkBytes.fromByteArray(result)))));
            dynamo.updateItem(update -> update.tableName(functions)
                    .key(Map.of("name", s(scan.function())))
                    .updateExpression("SET firstSeen = if_not_exists(firstSeen, :at), latestScanId = :id,"
                            + " latestScanAt = :at, latestScanSummary = :summary")
                    .expressionAttributeValues(Map.of(
                            ":id",
                            s(scan.id()),
                            ":at",
                            n(scan.createdAt().toEpochMilli()),
                            ":summary",
                            s(scan.summaryJson()))));
        } catch (SdkException e) {
            throw failure("cannot store scan " + scan.id(), e);
        }
    }

    @Override
    public Optional<ScanRecord> scan(String id) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(
                            get -> get.tableName(scans).key(Map.of("id", s(id))).consistentRead(true))
                    .item();
            return item == null || item.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new ScanRecord(
                            id,
                            item.get("function").s(),
                            instant(item, "createdAt"),
                            item.get("summary").s(),
                            new String(gunzip(item.get("result").b().asByteArray()), StandardCharsets.UTF_8)));
        } catch (SdkException e) {
            throw failure("cannot read scan " + id, e);
        }
    }

    @Override
    public void putToken(TokenRecord token) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "sha256",
                s(token.sha256Hex()),
                "role",
                s(token.role()),
                "createdAt",
                n(token.createdAt().toEpochMilli())));
        if (token.function() != null) {
            item.put("function", s(token.function()));
        }
        if (token.expiresAt() != null) {
            item.put("expiresAt", n(token.expiresAt().toEpochMilli()));
        }
        if (token.label() != null) {
            item.put("label", s(token.label()));
        }
        try {
            dynamo.putItem(put -> put.tableName(tokens).item(item).conditionExpression("attribute_not_exists(sha256)"));
        } catch (SdkException e) {
            throw failure("cannot store the token", e);
        }
    }

    @Override
    public Optional<TokenRecord> token(String sha256Hex) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName(tokens)
                            .key(Map.of("sha256", s(sha256Hex)))
                            .consistentRead(true))
                    .item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(tokenRecord(item));
        } catch (SdkException e) {
            throw failure("cannot read the token", e);
        }
    }

    /** A scan of the tokens table: it holds one item per token a person or a deployment minted. */
    @Override
    public List<TokenRecord> tokens() {
        try {
            List<TokenRecord> records = new ArrayList<>();
            for (Map<String, AttributeValue> item : Items.scanAll(
                    dynamo,
                    ScanRequest.builder().tableName(tokens).consistentRead(true).build())) {
                records.add(tokenRecord(item));
            }
            records.sort(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::sha256Hex));
            return records;
        } catch (SdkException e) {
            throw failure("cannot list the tokens", e);
        }
    }

    @Override
    public boolean deleteToken(String sha256Hex) {
        try {
            dynamo.deleteItem(delete -> delete.tableName(tokens)
                    .key(Map.of("sha256", s(sha256Hex)))
                    .conditionExpression("attribute_exists(sha256)"));
            return true;
        } catch (ConditionalCheckFailedException none) {
            return false;
        } catch (SdkException e) {
            throw failure("cannot delete the token", e);
        }
    }

    private static TokenRecord tokenRecord(Map<String, AttributeValue> item) {
        return new TokenRecord(
                item.get("sha256").s(),
                item.get("role").s(),
                string(item, "function"),
                instant(item, "createdAt"),
                instant(item, "expiresAt"),
                string(item, "label"));
    }

    /** The AWS scan's inventory and findings, in the tables {@code <prefix>findings} and {@code <prefix>packages}. */
    @Override
    public DynamoDbFindingStore findings() {
        return findings;
    }

    /** What the agents observed, in the table {@code <prefix>observations}. */
    @Override
    public DynamoDbObservationStore observations() {
        return observations;
    }

    @Override
    public void checkHealth() {
        try {
            dynamo.describeTable(describe -> describe.tableName(violations));
        } catch (SdkException e) {
            throw failure("DynamoDB table " + violations + " cannot be reached", e);
        }
    }

    @Override
    public void close() {
        writers.shutdown();
    }

    // ---- attribute helpers ------------------------------------------------------------------------------------

    private static final int PAD_DIGITS = 15;

    /**
     * Sorts as (time, function, id): zero-padded epoch milliseconds, {@code #}, the function, {@code #}, the id.
     * {@code #} sorts before every character of a function name, so a name that is a prefix of another sorts first,
     * as in (time, function, id) order; the id may hold any character, as it comes last.
     */
    static String sortKey(long timeMillis, String function, String id) {
        return pad(timeMillis) + "#" + function + "#" + id;
    }

    /** An event's key: the function (which has no {@code #}), {@code #}, the event's id. */
    static String eventKey(String function, String id) {
        return function + "#" + id;
    }

    private static String pad(long timeMillis) {
        String digits = Long.toString(timeMillis);
        return "0".repeat(Math.max(0, PAD_DIGITS - digits.length())) + digits;
    }

    private static ViolationCursor cursor(Map<String, AttributeValue> item) {
        return new ViolationCursor(
                Long.parseLong(item.get("sk").s().substring(0, PAD_DIGITS)),
                item.get("function").s(),
                item.get("eventId").s());
    }

    private static String month(Instant time) {
        return YearMonth.from(time.atZone(ZoneOffset.UTC)).toString();
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
