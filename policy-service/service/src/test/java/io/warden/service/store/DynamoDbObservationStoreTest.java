package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.observe.Observation;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationStore.RecordResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

@ExtendWith(Dynalite.Resolver.class)
class DynamoDbObservationStoreTest extends ObservationStoreContract {

    static Dynalite dynalite;
    String tablePrefix;

    @BeforeAll
    static void dynalite(Dynalite running) {
        dynalite = running;
    }

    @Override
    Store newStore() {
        tablePrefix = Dynalite.newTablePrefix();
        DynamoDbStore store = new DynamoDbStore(dynalite.client(), tablePrefix, LIMITS);
        store.createTables();
        return store;
    }

    @Test
    void aLineIdCarriesTheTimeToLiveOfTheRetentionAndNothingElseDoes() {
        Instant before = Instant.now();
        Observation first = line("1", T0, 0, host("a.example", 1, null));
        observations.record(first);

        List<Map<String, AttributeValue>> items = dynalite.client()
                .scan(scan -> scan.tableName(tablePrefix + "observations"))
                .items();
        assertThat(items)
                .filteredOn(item -> item.get("sk").s().startsWith("line#"))
                .singleElement()
                .satisfies(item -> {
                    assertThat(item.get("sk").s()).isEqualTo("line#" + first.id());
                    assertThat(item.get("function").s()).isEqualTo("orders");
                    assertThat(Instant.ofEpochSecond(
                                    Long.parseLong(item.get("expiresAt").n())))
                            .isBetween(
                                    before.plus(ObservationStore.LINE_ID_RETENTION)
                                            .minusSeconds(1),
                                    Instant.now().plus(ObservationStore.LINE_ID_RETENTION));
                });
        assertThat(items)
                .filteredOn(item -> !item.get("sk").s().startsWith("line#"))
                .as("what was merged, which time to live must never remove")
                .isNotEmpty()
                .allSatisfy(item -> assertThat(item).doesNotContainKey("expiresAt"));

        // Expired (time to live deletes within days of it): a copy arriving now is merged again.
        dynalite.client()
                .updateItem(update -> update.tableName(tablePrefix + "observations")
                        .key(Map.of(
                                "function",
                                AttributeValue.fromS("orders"),
                                "sk",
                                AttributeValue.fromS("line#" + first.id())))
                        .updateExpression("SET expiresAt = :past")
                        .expressionAttributeValues(Map.of(":past", AttributeValue.fromN("1"))));
        assertThat(observations.record(first)).isEqualTo(new RecordResult(1, 0));
        assertThat(observations.record(first)).isEqualTo(RecordResult.DUPLICATE);
    }

    @Test
    void anIdPutThatTheSdkRetriedAfterItWasWrittenStillMergesTheLine() {
        DynamoDbClient client = dynalite.client();
        // The SDK's retry of a put whose first attempt was written, but whose answer was lost: the retry's condition
        // fails on the item the first attempt wrote.
        InvocationHandler retriesIdPuts = (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof Consumer) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                Object answer = method.invoke(client, args);
                if (args != null
                        && args[0] instanceof PutItemRequest put
                        && put.item().get("sk").s().startsWith("line#")) {
                    answer = method.invoke(client, args);
                }
                return answer;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        DynamoDbClient retrying = (DynamoDbClient) Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, retriesIdPuts);
        try (DynamoDbStore store = new DynamoDbStore(retrying, tablePrefix, LIMITS)) {
            Observation line = line("1", T0, 0, host("a.example", 2, null));
            assertThat(store.observations().record(line)).isEqualTo(new RecordResult(1, 0));
            assertThat(store.observations().record(line)).isEqualTo(RecordResult.DUPLICATE);
        }
        assertThat(observations.items("orders", "1"))
                .singleElement()
                .satisfies(stored -> assertThat(stored.item().count()).isEqualTo(2));
    }
}
