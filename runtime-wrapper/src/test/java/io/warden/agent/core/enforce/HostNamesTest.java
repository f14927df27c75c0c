package io.warden.agent.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class HostNamesTest {

    @Test
    void aReverseLookupAsksForTheAddressesArpaName() throws Exception {
        assertThat(HostNames.reverseLookupName(
                        InetAddress.getByName("192.0.2.255").getAddress()))
                .isEqualTo("255.2.0.192.in-addr.arpa");
        assertThat(HostNames.reverseLookupName(
                        InetAddress.getByName("2001:db8::567:89ab").getAddress()))
                .isEqualTo("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    }
}
