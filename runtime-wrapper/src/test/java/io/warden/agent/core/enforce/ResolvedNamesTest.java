package io.warden.agent.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ResolvedNamesTest {

    @Test
    void aNameCountsOnlyForTheAddressesItResolvedTo() throws Exception {
        ResolvedNames names = new ResolvedNames();
        InetAddress resolved = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        names.record("db.internal", new InetAddress[] {resolved});

        assertThat(names.resolved("db.internal", resolved)).isTrue();
        assertThat(names.resolved("DB.Internal", InetAddress.getByAddress("anything", new byte[] {10, 0, 0, 1})))
                .isTrue();
        assertThat(names.resolved("db.internal", InetAddress.getByAddress(new byte[] {10, 0, 0, 2})))
                .isFalse();
        assertThat(names.resolved("other.internal", resolved)).isFalse();
        assertThat(names.resolved("localhost", InetAddress.getLoopbackAddress()))
                .isTrue();
        assertThat(names.resolved("localhost", resolved)).isFalse();
    }

    @Test
    void boundedInAddressesAndInNamesPerAddress() throws Exception {
        ResolvedNames names = new ResolvedNames();
        InetAddress shared = InetAddress.getByAddress(new byte[] {10, 9, 9, 9});
        for (int i = 0; i < ResolvedNames.MAX_NAMES + 3; i++) {
            names.record("name" + i + ".example", shared);
        }
        int namesKept = 0;
        for (int i = 0; i < ResolvedNames.MAX_NAMES + 3; i++) {
            namesKept += names.resolved("name" + i + ".example", shared) ? 1 : 0;
        }
        assertThat(namesKept).isEqualTo(ResolvedNames.MAX_NAMES);
        assertThat(names.resolved("name" + (ResolvedNames.MAX_NAMES + 2) + ".example", shared))
                .as("the latest")
                .isTrue();
        for (int i = 0; i < ResolvedNames.MAX_ADDRESSES + 100; i++) {
            names.record("host.example", InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}));
        }

        int addressesKept = 0;
        for (int i = 0; i < ResolvedNames.MAX_ADDRESSES + 100; i++) {
            InetAddress address = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i});
            addressesKept += names.resolved("host.example", address) ? 1 : 0;
        }
        assertThat(addressesKept)
                .isLessThanOrEqualTo(ResolvedNames.MAX_ADDRESSES)
                .isGreaterThan(0);
        // The latest answer for an address is always kept.
        assertThat(names.resolved("host.example", InetAddress.getByAddress(new byte[] {10, 1, 16, 99})))
                .isTrue();
    }
}
