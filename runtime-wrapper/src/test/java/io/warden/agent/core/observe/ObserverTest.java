package io.warden.agent.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.Mode;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObserverTest {
    private final Observer observer = new Observer("orders", "eu-west-1", Mode.ALERT, "/tmp");

    private Observation take() {
        return observer.take("req-1", "7", "123456789012");
    }

    @Test
    void aLineHoldsWhatWasNewWithItsCountsAndNothingOnceSeen() throws Exception {
        InetAddress address = InetAddress.getByAddress("db.internal", new byte[] {10, 0, 0, 5});
        for (int i = 0; i < 3; i++) {
            observer.network("connect", "db.internal", address, 5432);
            observer.file("write", "/tmp/upload-" + i + "-3f2a9b7c0d1e.json");
        }
        observer.dns("db.internal");

        Observation first = take();
        assertThat(first.id())
                .as("the reporter gives the line its id as it writes it")
                .isNull();
        assertThat(first.function()).isEqualTo("orders");
        assertThat(first.requestId()).isEqualTo("req-1");
        assertThat(first.functionVersion()).isEqualTo("7");
        assertThat(first.account()).isEqualTo("123456789012");
        assertThat(first.region()).isEqualTo("eu-west-1");
        assertThat(first.mode()).isEqualTo(Mode.ALERT);
        assertThat(first.items())
                .extracting(ObservedItem::key, ObservedItem::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                new ObservedItem.Network("connect", "db.internal", "10.0.0.5", 5432, 1, null).key(),
                                3L),
                        org.assertj.core.groups.Tuple.tuple(
                                new ObservedItem.File("write", "/tmp/**", 1, null).key(), 3L),
                        org.assertj.core.groups.Tuple.tuple(new ObservedItem.Dns("db.internal", 1, null).key(), 1L));
        // The first frame outside the JDK and Warden (whose packages this test shares): the test framework's.
        assertThat(first.items().get(0).caller()).startsWith("org.junit.");

        // Seen again: no new line.
        observer.network("connect", "db.internal", address, 5432);
        observer.dns("db.internal");
        assertThat(observer.take("req-2", "7", null)).isNull();
    }

    @Test
    void aNameIsOneTargetWhicheverAddressItResolvedTo() throws Exception {
        observer.network("connect", "s3.example", InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 443);
        observer.network("connect", "s3.example", InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 443);
        observer.network("connect", null, InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 443);
        observer.network("accept", null, InetAddress.getByAddress(new byte[] {10, 0, 0, 9}), 50123);
        observer.network("accept", null, InetAddress.getByAddress(new byte[] {10, 0, 0, 9}), 50124);
        observer.network("listen", null, null, 8080);

        List<ObservedItem> items = take().items();
        assertThat(items)
                .containsExactly(
                        new ObservedItem.Network(
                                "connect",
                                "s3.example",
                                "10.0.0.1",
                                443,
                                2,
                                items.get(0).caller()),
                        new ObservedItem.Network(
                                "connect",
                                null,
                                "10.0.0.1",
                                443,
                                1,
                                items.get(1).caller()),
                        new ObservedItem.Network(
                                "accept", null, "10.0.0.9", 0, 2, items.get(2).caller()),
                        new ObservedItem.Network(
                                "listen", null, "*", 8080, 1, items.get(3).caller()));
    }

    @Test
    void everyKindIsObserved() {
        observer.process("/usr/bin/ldd", new String[] {"ldd", "--version"});
        observer.nativeLibrary("/tmp/sqlite-3.45.1.0-8d1c1f3a-libsqlitejdbc.so");
        observer.jndi("java:comp/env/jdbc/orders");
        observer.deserialization("com.acme.Order");
        observer.aws("dynamodb", "GetItem", "eu-west-1", Map.of("TableName", "orders"), null);
        observer.aws("dynamodb", "GetItem", "eu-west-1", Map.of("TableName", "orders"), "AccessDeniedException");

        assertThat(take().items())
                .extracting(ObservedItem::key)
                .containsExactly(
                        new ObservedItem.Process("/usr/bin/ldd", List.of("--version"), 1, null).key(),
                        new ObservedItem.Native("/tmp/*", 1, null).key(),
                        new ObservedItem.Jndi("java:comp/env/jdbc/orders", 1, null).key(),
                        new ObservedItem.Deserialization("com.acme.Order", 1, null).key(),
                        new ObservedItem.Aws(
                                        "dynamodb",
                                        "GetItem",
                                        "eu-west-1",
                                        Map.of("TableName", "orders"),
                                        null,
                                        1,
                                        null)
                                .key(),
                        new ObservedItem.Aws(
                                        "dynamodb",
                                        "GetItem",
                                        "eu-west-1",
                                        Map.of("TableName", "orders"),
                                        "AccessDeniedException",
                                        1,
                                        null)
                                .key());
    }

    @Test
    void memoryIsBoundedAndWhatTheBoundKeepsOutIsCounted() throws Exception {
        int distinct = 10_000;
        for (int i = 0; i < distinct; i++) {
            observer.dns("host-" + Integer.toString(i, 36) + ".example");
        }
        observer.dns("host-0.example"); // known: counted, not dropped
        assertThat(observer.size()).isEqualTo(Observer.MAX_ITEMS);

        long items = 0;
        long dropped = 0;
        for (Observation line; (line = take()) != null; ) {
            assertThat(ObservationJson.toJsonLine(line.withId(UUID.randomUUID().toString()))
                            .length())
                    .isLessThanOrEqualTo(Observer.MAX_LINE_CHARS);
            items += line.items().size();
            dropped += line.dropped();
        }
        assertThat(items).isEqualTo(Observer.MAX_ITEMS);
        assertThat(dropped).isEqualTo(distinct - Observer.MAX_ITEMS);
    }

    @Test
    void overlongTextIsDroppedNotCut() {
        observer.file("read", "/var/task/" + "a".repeat(Observer.MAX_FIELD_CHARS));
        Observation line = take();
        assertThat(line.items()).isEmpty();
        assertThat(line.dropped()).isEqualTo(1);
    }
}
