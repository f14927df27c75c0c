package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class HookSelfCheckTest {

    /** A transformer that never ran (here: never registered) has woven nothing: every expected hook is named missing. */
    @Test
    void namesEveryExpectedHookThatDidNotWeave() {
        HookTransformer nothingWoven = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        int feature = Runtime.version().feature();

        HookSelfCheck.Result result = HookSelfCheck.run(nothingWoven, feature);

        assertThat(result.expected).isEqualTo(ExpectedHooks.forJdk(feature).size());
        assertThat(result.woven).isZero();
        assertThat(result.missing)
                .hasSize(result.expected)
                .contains("NET_CONNECT (sun.nio.ch.Net.connect)", "PROCESS_START (java.lang.ProcessImpl.start)");
    }
}
