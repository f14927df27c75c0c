package io.warden.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.aws.findings.FindingStore;
import io.warden.aws.findings.PackageRecord;
import io.warden.service.store.dynamodb.DynamoDbFindingStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(Dynalite.Resolver.class)
class DynamoDbFindingStoreTest extends FindingStoreContract {

    static Dynalite dynalite;
    String prefix;

    @BeforeAll
    static void dynalite(Dynalite running) {
        dynalite = running;
    }

    @Override
    FindingStore open() {
        prefix = Dynalite.newTablePrefix();
        DynamoDbFindingStore store = new DynamoDbFindingStore(dynalite.client(), prefix);
        store.createTables();
        return store;
    }

    @Override
    FindingStore reopen() {
        return new DynamoDbFindingStore(dynalite.client(), prefix);
    }

    List<Map<String, AttributeValue>> packageItems() {
        return dynalite.client()
                .scan(scan -> scan.tableName(prefix + "packages"))
                .items();
    }

    List<String> parts() {
        return packageItems().stream().map(item -> item.get("part").s()).toList();
    }

    @Test
    void aLargeInventoryIsSplitIntoItemsDynamoDbTakesAndTheStalePartsGo() {
        FindingStore store = open();
        PackageRecord large = FindingFixtures.largePackage("big", 3_000);

        store.putPackage(large);
        List<String> parts = parts();
        store.putPackage(large);

        assertThat(parts).as("a head and further parts").hasSizeGreaterThan(1).contains("head");
        assertThat(packageItems())
                .allSatisfy(item ->
                        assertThat(item.get("data").b().asByteArray().length).isLessThanOrEqualTo(300 * 1024));
        assertThat(parts())
                .as("one generation after the second put")
                .hasSameSizeAs(parts)
                .containsOnlyOnce("head")
                .filteredOn(part -> !part.equals("head"))
                .doesNotContainAnyElementsOf(parts);
        store.putPackage(FindingFixtures.largePackage("big", 2));
        assertThat(parts()).containsExactly("head");
        assertThat(store.findPackage("big")).contains(FindingFixtures.largePackage("big", 2));
    }
}
