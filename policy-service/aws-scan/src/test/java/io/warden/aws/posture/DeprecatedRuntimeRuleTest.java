package io.warden.aws.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.aws.discovery.DeployedFunction;
import io.warden.aws.findings.Finding;
import io.warden.scanner.Severity;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class DeprecatedRuntimeRuleTest {
    private final DeprecatedRuntimeRule rule = new DeprecatedRuntimeRule(RuntimeDeprecations.load());

    private List<Finding> on(String runtime, LocalDate today) {
        DeployedFunction f = new DeployedFunction(
                "arn:aws:lambda:eu-west-1:111111111111:function:f",
                "f",
                runtime,
                "Zip",
                "sha",
                null,
                List.of(),
                Map.of(),
                "example.Handler::handleRequest");
        return rule.evaluate(new FunctionContext(f, null, null, null, null, 0, today, null));
    }

    @Test
    void deprecatedSoonAndSupportedByTheTableDates() {
        assertThat(on("java17", LocalDate.parse("2026-07-01"))).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(DeprecatedRuntimeRule.DEPRECATED);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remediation()).contains("java21");
        });
        assertThat(on("java17", LocalDate.parse("2026-06-30")))
                .extracting(Finding::rule)
                .containsExactly(DeprecatedRuntimeRule.DEPRECATED);
        assertThat(on("java17", LocalDate.parse("2026-01-01"))).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(DeprecatedRuntimeRule.SOON);
            assertThat(f.title()).contains("in 180 days");
        });
        assertThat(on("java17", LocalDate.parse("2025-12-31"))).isEmpty();
        assertThat(on("java21", LocalDate.parse("2026-01-01"))).isEmpty();
        assertThat(on("some-future-runtime", LocalDate.parse("2026-01-01"))).isEmpty();
        assertThat(on(null, LocalDate.parse("2026-01-01"))).isEmpty();
    }
}
