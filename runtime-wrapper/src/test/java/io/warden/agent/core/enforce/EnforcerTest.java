package io.warden.agent.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.agent.core.hooks.Hook;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class EnforcerTest {

    /**
     * A check that cannot read its operation fails closed under the mode of the hook's category: every hook has one,
     * but those of the handler and of the AWS SDK, which only notify.
     */
    @Test
    void everyHookOfAnOperationHasTheCategoryItFailsClosedUnder() {
        for (Hook hook : Hook.values()) {
            boolean handler = hook == Hook.INVOCATION_START
                    || hook == Hook.INVOCATION_END
                    || hook == Hook.AWS_CALL
                    || hook == Hook.AWS_CALL_FAILED
                    || hook == Hook.AWS_V1_CALL
                    || hook == Hook.AWS_V1_CALL_FAILED;
            assertThat(hook.category).as(hook.name()).matches(category -> handler == (category == null));
        }
    }
}
