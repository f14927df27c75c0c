package io.warden.service.store;

import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.InMemoryFindingStore;
import org.junit.jupiter.api.Tag;

/** The in-memory store keeps what it was given for as long as the process: reopening it is using it again. */
@Tag("fast")
class InMemoryFindingStoreTest extends FindingStoreContract {

    FindingStore store;

    @Override
    FindingStore open() {
        store = new InMemoryFindingStore();
        return store;
    }

    @Override
    FindingStore reopen() {
        return store;
    }
}
