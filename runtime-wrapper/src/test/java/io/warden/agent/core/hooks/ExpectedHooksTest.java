package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * JDK 21 cannot run here: its expected hooks are held against its sources, as recorded in {@code hooks/jdk21.tsv}
 * (each hook's class, method and descriptor as JDK 21 declares them). On JDK 17 and 25 the agent tests run the
 * self-check itself ({@code IntegrityIT}).
 */
@Tag("fast")
class ExpectedHooksTest {

    @Test
    void theHooksExpectedOnJdk21AreThoseItsSourcesDeclare() throws IOException {
        List<String[]> declared = fixture("/hooks/jdk21.tsv");
        List<String> names = new ArrayList<>();
        for (String[] row : declared) {
            Hook hook = Hook.valueOf(row[0]);
            names.add(hook.name());
            assertThat(hook.owner).as(hook.name()).isEqualTo(row[1]);
            assertThat(hook.method).as(hook.name()).isEqualTo(row[2]);
            assertThat(hook.descriptors).as(hook.name()).contains(row[3]);
        }
        List<String> expected = new ArrayList<>();
        for (Hook hook : ExpectedHooks.forJdk(21)) {
            expected.add(hook.name());
        }
        assertThat(expected).containsExactlyElementsOf(names);
    }

    @Test
    void eachCachedNameClassIsExpectedOnlyOnTheJdksThatHaveIt() {
        assertThat(ExpectedHooks.forJdk(17))
                .contains(Hook.DNS_CACHED_FAILURE)
                .doesNotContain(Hook.DNS_CACHED_LOOKUP_FAILURE);
        assertThat(ExpectedHooks.forJdk(25))
                .contains(Hook.DNS_CACHED_LOOKUP_FAILURE)
                .doesNotContain(Hook.DNS_CACHED_FAILURE);
        assertThat(ExpectedHooks.forJdk(25)).doesNotContain(Hook.INVOCATION_START, Hook.INVOCATION_END);
    }

    @Test
    void eachReverseLookupClassIsExpectedOnlyOnTheJdksThatHaveIt() {
        assertThat(ExpectedHooks.forJdk(17))
                .contains(Hook.DNS_REVERSE_NAME_SERVICE)
                .doesNotContain(Hook.DNS_REVERSE_RESOLVER);
        assertThat(ExpectedHooks.forJdk(25))
                .contains(Hook.DNS_REVERSE_RESOLVER)
                .doesNotContain(Hook.DNS_REVERSE_NAME_SERVICE);
    }

    private static List<String[]> fixture(String resource) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = ExpectedHooksTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split("\t"));
                }
            }
        }
        return rows;
    }
}
