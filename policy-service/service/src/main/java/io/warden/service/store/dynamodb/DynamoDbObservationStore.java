package io.warden.service.store.dynamodb;

import static io.warden.service.store.dynamodb.Items.attribute;
import static io.warden.service.store.dynamodb.Items.failure;
import static io.warden.service.store.dynamodb.Items.key;
import static io.warden.service.store.dynamodb.Items.n;
import static io.warden.service.store.dynamodb.Items.s;
import static software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S;

import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.StoreException;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedVersion;
import io.warden.service.store.observations.StoredItem;
import io.warden.service.store.observations.StoredItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Observations on DynamoDB, in one table {@code <prefix>observations} (see template.yaml), key {@code function} and
 * {@code sk}: {@code item#<version>#<key>} per item (key: {@link StoredItems#key}), {@code version#<version>} per version,
 * {@code totals}, the counters the caps are checked against, and {@code line#<id>} per merged line, with
 * {@code expiresAt} (epoch seconds, {@link #LINE_ID_RETENTION} after it was merged) for DynamoDB's time to live, which the
 * deployment template turns on (no other item has that attribute). Without transactions:
 * <ul>
 *   <li>a line's id is recorded first, by a put on condition that it is not recorded yet (or has expired): of two
 *       deliveries of the line, however they race, only the one whose put succeeds merges it; the other merges nothing.
 *       Recorded before the merge, never after it, so that a line is never counted twice: if the service dies or the
 *       store fails between the id and the end of the merge, what of that line was not merged yet is lost, since its
 *       redelivery finds the id (counts may fall short by part of one line, never exceed);</li>
 *   <li>an item or version is merged by reading it and writing it back on condition that its {@code rev} is still the
 *       one read (retrying otherwise), so concurrent lines lose no count;</li>
 *   <li>a new item or version first takes a slot in {@code totals} with a conditional {@code ADD} that fails at the
 *       cap, so the caps hold under any concurrency; a slot taken by two writers of the same new item at once is given
 *       back by the one that loses the insert;</li>
 *   <li>the items of a line are merged one by one: if the service dies in the middle, part of the line is stored.</li>
 * </ul>
 */
public final class DynamoDbObservationStore implements ObservationStore {

    /** Attempts of a conditional write that lost to a concurrent one. */
    static final int MAX_ATTEMPTS = 32;

    private static final String TOTALS = "totals";
    /** The sort key prefix of a merged line's id. */
    private static final String LINE = "line#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final ExecutorService writers;
    private final Limits limits;

    DynamoDbObservationStore(DynamoDbClient dynamo, String tablePrefix, ExecutorService writers, Limits limits) {
        this.dynamo = dynamo;
        this.table = tablePrefix + "observations";
        this.writers = writers;
        this.limits = limits;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    /** Creates the table (on demand), as the deployment template does; for local use and tests. */
    void createTable() {
        ServiceTables.create(
                dynamo,
                CreateTableRequest.builder()
                        .tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("function", S), attribute("sk", S))
                        .keySchema(key("function", KeyType.HASH), key("sk", KeyType.RANGE))
                        .build());
    }

    @Override
    public RecordResult record(Observation line) {
        try {
            if (line.id() != null && !recordId(line)) {
                return RecordResult.DUPLICATE;
            }
            long time = line.time().toEpochMilli();
            Map<String, AttributeValue> versionKey = primaryKey(line.function(), "version#" + line.functionVersion());
            boolean versionStored = upsert(
                    versionKey,
                    stored -> {
                        Map<String, AttributeValue> item = new HashMap<>(versionKey);
                        item.put("version", s(line.functionVersion()));
                        item.put("lines", n(number(stored, "lines") + 1));
                        item.put("firstSeen", n(stored == null ? time : Math.min(number(stored, "firstSeen"), time)));
                        item.put("lastSeen", n(stored == null ? time : Math.max(number(stored, "lastSeen"), time)));
                        item.put("dropped", n(number(stored, "dropped") + line.dropped()));
                        item.put("refusedItems", n(number(stored, "refusedItems")));
                        return item;
                    },
                    "versions",
                    limits.maxVersions());
            if (!versionStored) {
                addToTotals(line.function(), "refusedItems", line.items().size(), "refusedLines", 1);
                return new RecordResult(0, line.items().size());
            }
            List<CompletableFuture<Boolean>> merges = new ArrayList<>();
            for (ObservedItem item : line.items()) {
                merges.add(CompletableFuture.supplyAsync(() -> mergeItem(line, item, time), writers));
            }
            int refused = 0;
            for (CompletableFuture<Boolean> merge : merges) {
                refused += merge.join() ? 0 : 1;
            }
            if (refused > 0) {
                long refusedItems = refused;
                // rev too, so that a concurrent merge of the version (which read the old rev) retries.
                dynamo.updateItem(update -> update.tableName(table)
                        .key(versionKey)
                        .updateExpression("ADD refusedItems :n, rev :one")
                        .expressionAttributeValues(Map.of(":n", n(refusedItems), ":one", n(1))));
                addToTotals(line.function(), "refusedItems", refused, null, 0);
            }
            return new RecordResult(line.items().size() - refused, refused);
        } catch (CompletionException e) {
            throw failure("cannot store the observations of " + line.function(), e.getCause());
        } catch (SdkException e) {
            throw failure("cannot store the observations of " + line.function(), e);
        }
    }

    /**
     * Records the line's id unless it is recorded and not expired; false when it is. The put carries a token of this
     * call's, so that a put the SDK retried after its first attempt had been written (and whose retry the condition
     * then failed) is known as this call's own, and the line is merged.
     */
    private boolean recordId(Observation line) {
        long now = Instant.now().getEpochSecond();
        Map<String, AttributeValue> key = primaryKey(line.function(), LINE + line.id());
        Map<String, AttributeValue> item = new HashMap<>(key);
        AttributeValue claim = s(UUID.randomUUID().toString());
        item.put("claim", claim);
        item.put("expiresAt", n(now + LINE_ID_RETENTION.toSeconds()));
        try {
            dynamo.putItem(put -> put.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(sk) OR expiresAt <= :now")
                    .expressionAttributeValues(Map.of(":now", n(now))));
            return true;
        } catch (ConditionalCheckFailedException recorded) {
            Map<String, AttributeValue> stored = read(key);
            return stored != null && claim.equals(stored.get("claim"));
        }
    }

    /** Merges the item into its stored one, or adds it when the function is below its cap; false when refused. */
    private boolean mergeItem(Observation line, ObservedItem observed, long time) {
        String key = StoredItems.key(observed);
        Map<String, AttributeValue> itemKey = primaryKey(line.function(), "item#" + line.functionVersion() + "#" + key);
        return upsert(
                itemKey,
                stored -> {
                    Map<String, AttributeValue> item = new HashMap<>(itemKey);
                    item.put("version", s(line.functionVersion()));
                    item.put("kind", s(observed.kind()));
                    item.put("key", s(key));
                    item.put("item", s(StoredItems.json(observed)));
                    item.put("count", n(number(stored, "count") + observed.count()));
                    long lastSeen = stored == null ? time : number(stored, "lastSeen");
                    item.put("firstSeen", n(stored == null ? time : Math.min(number(stored, "firstSeen"), time)));
                    item.put("lastSeen", n(Math.max(lastSeen, time)));
                    AttributeValue caller = stored == null ? null : stored.get("lastCaller");
                    if (observed.caller() != null && time >= lastSeen) {
                        caller = s(observed.caller());
                    }
                    if (caller != null) {
                        item.put("lastCaller", caller);
                    }
                    return item;
                },
                "items",
                limits.maxItems());
    }

    /**
     * Writes what {@code merged} makes of the stored item (null: absent): over the stored one on condition that its
     * {@code rev} is still the one read, or as a new item, which takes a slot of the counter in {@code totals} unless
     * that is at the cap. Retries when the item changed meanwhile.
     *
     * @return false when the item was new and the counter at its cap: nothing written
     */
    private boolean upsert(
            Map<String, AttributeValue> key,
            UnaryOperator<Map<String, AttributeValue>> merged,
            String counter,
            int cap) {
        String function = key.get("function").s();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> stored = read(key);
            Map<String, AttributeValue> item = merged.apply(stored);
            if (stored == null) {
                item.put("rev", n(0));
                if (putIfAbsent(item)) {
                    if (takeSlot(function, counter, cap)) {
                        return true;
                    }
                    if (deleteIfUnchanged(key)) {
                        return false;
                    }
                    // Merged into by another line meanwhile: it stays, and counts.
                    addToTotals(function, counter, 1, null, 0);
                    return true;
                }
                continue;
            }
            item.put("rev", n(number(stored, "rev") + 1));
            try {
                dynamo.putItem(put -> put.tableName(table)
                        .item(item)
                        .conditionExpression("rev = :rev")
                        .expressionAttributeValues(Map.of(":rev", stored.get("rev"))));
                return true;
            } catch (ConditionalCheckFailedException changed) {
                // Read it again.
            }
        }
        throw new StoreException(
                "observations of " + function + " changed under " + MAX_ATTEMPTS
                        + " attempts to merge them; retry later",
                null);
    }

    /** Puts the item unless one with its key exists; false when one does. */
    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(put -> put.tableName(table).item(item).conditionExpression("attribute_not_exists(sk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Deletes the item this writer created unless another merged into it; false when one did. */
    private boolean deleteIfUnchanged(Map<String, AttributeValue> key) {
        try {
            dynamo.deleteItem(delete -> delete.tableName(table)
                    .key(key)
                    .conditionExpression("rev = :zero")
                    .expressionAttributeValues(Map.of(":zero", n(0))));
            return true;
        } catch (ConditionalCheckFailedException merged) {
            return false;
        }
    }

    /** Adds one to the counter unless it is at the cap; false at the cap. */
    private boolean takeSlot(String function, String counter, int cap) {
        try {
            dynamo.updateItem(update -> update.tableName(table)
                    .key(primaryKey(function, TOTALS))
                    .updateExpression("ADD #counter :one")
                    .conditionExpression("attribute_not_exists(#counter) OR #counter < :cap")
                    .expressionAttributeNames(Map.of("#counter", counter))
                    .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(cap))));
            return true;
        } catch (ConditionalCheckFailedException atCap) {
            return false;
        }
    }

    private void addToTotals(String function, String counter, long amount, String other, long otherAmount) {
        Map<String, String> names = new HashMap<>(Map.of("#a", counter));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":a", n(amount)));
        String expression = "ADD #a :a";
        if (other != null) {
            names.put("#b", other);
            values.put(":b", n(otherAmount));
            expression += ", #b :b";
        }
        String update = expression;
        dynamo.updateItem(request -> request.tableName(table)
                .key(primaryKey(function, TOTALS))
                .updateExpression(update)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    @Override
    public List<ObservedVersion> versions(String function) {
        List<ObservedVersion> versions = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(function, "version#")) {
            versions.add(new ObservedVersion(
                    item.get("version").s(),
                    number(item, "lines"),
                    instant(item, "firstSeen"),
                    instant(item, "lastSeen"),
                    number(item, "dropped"),
                    number(item, "refusedItems")));
        }
        versions.sort(Comparator.comparing(ObservedVersion::version));
        return versions;
    }

    @Override
    public List<StoredItem> items(String function, String version) {
        List<StoredItem> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(function, "item#" + (version == null ? "" : version + "#"))) {
            AttributeValue caller = item.get("lastCaller");
            items.add(new StoredItem(
                    item.get("version").s(),
                    item.get("key").s(),
                    StoredItems.read(item.get("item").s(), number(item, "count"), caller == null ? null : caller.s()),
                    instant(item, "firstSeen"),
                    instant(item, "lastSeen")));
        }
        items.sort(Comparator.comparing(StoredItem::version)
                .thenComparing(stored -> stored.item().kind())
                .thenComparing(StoredItem::key));
        return items;
    }

    @Override
    public Optional<ObservationTotals> totals(String function) {
        try {
            Map<String, AttributeValue> item = read(primaryKey(function, TOTALS));
            return item == null
                    ? Optional.empty()
                    : Optional.of(new ObservationTotals(
                            number(item, "items"),
                            number(item, "versions"),
                            number(item, "refusedItems"),
                            number(item, "refusedLines")));
        } catch (SdkException e) {
            throw failure("cannot read the observations of " + function, e);
        }
    }

    private List<Map<String, AttributeValue>> query(String function, String prefix) {
        try {
            return Items.queryAll(
                    dynamo,
                    QueryRequest.builder()
                            .tableName(table)
                            .keyConditionExpression("#f = :f AND begins_with(sk, :prefix)")
                            .expressionAttributeNames(Map.of("#f", "function"))
                            .expressionAttributeValues(Map.of(":f", s(function), ":prefix", s(prefix)))
                            .consistentRead(true)
                            .build());
        } catch (SdkException e) {
            throw failure("cannot read the observations of " + function, e);
        }
    }

    private Map<String, AttributeValue> read(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        get -> get.tableName(table).key(key).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> primaryKey(String function, String sortKey) {
        return Map.of("function", s(function), "sk", s(sortKey));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(number(item, name));
    }
}
