package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.policy.ViolationJson;
import io.warden.service.store.dynamodb.DynamoDbStore;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(Dynalite.Resolver.class)
class DynamoDbStoreTest extends StoreContract {

    static Dynalite dynalite;

    String prefix;

    @BeforeAll
    static void dynalite(Dynalite running) {
        dynalite = running;
    }

    @Override
    Store newStore() {
        prefix = Dynalite.newTablePrefix();
        DynamoDbStore store = new DynamoDbStore(dynalite.client(), prefix);
        store.createTables();
        return store;
    }

    @Test
    void itemsKeyedByEventIdAloneAreRekeyedByFunctionAndIdKeepingEveryEvent() {
        dynalite.client()
                .deleteItem(delete ->
                        delete.tableName(prefix + "violations").key(Map.of("id", AttributeValue.fromS("#schema"))));
        // As version 1 wrote them: the id alone is the key, the sort key (time, id); one of them is even named like
        // the schema's item.
        putVersion1Item("a", "orders", 1);
        putVersion1Item("#schema", "billing", 2);
        store.ingest(report("orders", blocked("z", "orders", T0.minusSeconds(60))));
        DynamoDbStore migrating = new DynamoDbStore(dynalite.client(), prefix);

        migrating.migrate();
        migrating.migrate();

        assertThat(functionsAndIds(store.violations(all(10))))
                .containsExactly("billing/#schema", "orders/a", "orders/z");
        assertThat(ids(store.violations(new ViolationQuery("orders", null, null, null, null, 10, null))))
                .containsExactly("a", "z");
        assertThat(store.ingest(report("billing", blocked("a", "billing", T0))))
                .as("the id another function used is free for this one")
                .isEqualTo(new IngestResult(1, 0));
        assertThat(store.ingest(report("orders", blocked("a", "orders", T0))))
                .as("a migrated event is still a duplicate of itself")
                .isEqualTo(new IngestResult(0, 1));
        assertThat(dynalite.client()
                        .scan(scan -> scan.tableName(prefix + "violations"))
                        .count())
                .as("the four events and the schema's item, nothing left under an old key")
                .isEqualTo(5);
    }

    @Test
    void aTableOfALaterSchemaIsRefused() {
        dynalite.client()
                .putItem(put -> put.tableName(prefix + "violations")
                        .item(Map.of(
                                "id",
                                AttributeValue.fromS("#schema"),
                                "schemaVersion",
                                AttributeValue.fromN(Integer.toString(DynamoDbStore.SCHEMA_VERSION + 1)))));
        assertThatThrownBy(() -> new DynamoDbStore(dynalite.client(), prefix).migrate())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + (DynamoDbStore.SCHEMA_VERSION + 1));
    }

    private void putVersion1Item(String id, String function, int second) {
        var event = blocked(id, function, T0.plusSeconds(second));
        long time = event.time().toEpochMilli();
        dynalite.client()
                .putItem(put -> put.tableName(prefix + "violations")
                        .item(Map.of(
                                "id", AttributeValue.fromS(id),
                                "function", AttributeValue.fromS(function),
                                "month", AttributeValue.fromS("2024-05"),
                                "sk", AttributeValue.fromS(String.format("%015d#%s", time, id)),
                                "category", AttributeValue.fromS("network"),
                                "action", AttributeValue.fromS("blocked"),
                                "target", AttributeValue.fromS("evil.example:443"),
                                "count", AttributeValue.fromN("1"),
                                "receivedAt", AttributeValue.fromN(Long.toString(RECEIVED.toEpochMilli())),
                                "event", AttributeValue.fromS(ViolationJson.toJsonLine(event)))));
    }
}
