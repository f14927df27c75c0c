package io.warden.service.store;

import io.warden.service.store.dynamodb.DynamoDbStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Dynalite.Resolver.class)
class DynamoDbObservationStoreTest extends ObservationStoreContract {

    static Dynalite dynalite;

    @BeforeAll
    static void dynalite(Dynalite running) {
        dynalite = running;
    }

    @Override
    Store newStore() {
        DynamoDbStore store = new DynamoDbStore(dynalite.client(), Dynalite.newTablePrefix(), LIMITS);
        store.createTables();
        return store;
    }
}
