package io.warden.agent.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals only: resolving them sends nothing, and nothing here connects. */
class ServiceConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://192.0.2.10:8780/", "http://[2001:db8::1]/", "http://10.0.0.1"})
    void plainHttpToAnAddressThatIsNotLoopbackIsRefused(String url) {
        assertThatThrownBy(() -> ServiceConfig.from(Map.of("WARDEN_SERVICE_URL", url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WARDEN_SERVICE_URL=" + url + " is plain http to ")
                .hasMessageContaining("which is not a loopback address: use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8780/", "http://127.3.4.5:1/", "http://[::1]:8780/"})
    void plainHttpToLoopbackIsAccepted(String url) {
        assertThat(ServiceConfig.from(Map.of("WARDEN_SERVICE_URL", url)).https).isFalse();
    }

    @Test
    void httpsToAnyAddressIsAccepted() {
        assertThat(ServiceConfig.from(Map.of("WARDEN_SERVICE_URL", "https://192.0.2.10/")).https)
                .isTrue();
    }
}
