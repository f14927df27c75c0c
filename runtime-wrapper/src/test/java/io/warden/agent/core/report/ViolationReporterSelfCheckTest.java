package io.warden.agent.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.agent.core.invocation.Invocations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ViolationReporterSelfCheckTest {

    @Test
    void aMissingHookIsAStatusFieldAnErrorLineNamingItAndAnAgentFailedMetric() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViolationReporter reporter = new ViolationReporter(out, "orders", new Invocations(null, false));

        reporter.hooksChecked(
                "21.0.2",
                31,
                30,
                0,
                List.of("NET_CONNECT (sun.nio.ch.Net.connect)"),
                List.of("NET_CONNECT (sun.nio.ch.Net.connect)"));

        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .contains(
                        "\"warden\":\"status\"",
                        "\"state\":\"hooks-checked\"",
                        "\"expected\":\"31\"",
                        "\"woven\":\"30\"",
                        "\"pending\":\"0\"",
                        "\"missing\":\"NET_CONNECT (sun.nio.ch.Net.connect)\"");
        assertThat(lines.get(1)).startsWith("{\"warden\":\"error\"").contains("NET_CONNECT (sun.nio.ch.Net.connect)");
        assertThat(lines.get(2))
                .startsWith("{\"_aws\"")
                .contains("\"Name\":\"AgentFailed\"", "\"FunctionName\":\"orders\"", "\"AgentFailed\":1");
    }

    /** A hook already reported stays in the status line, but is not an error or a metric again. */
    @Test
    void aMissingHookIsAnErrorAndAMetricOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViolationReporter reporter = new ViolationReporter(out, "orders", new Invocations(null, false));

        reporter.hooksChecked("21.0.2", 31, 30, 0, List.of("NET_CONNECT (sun.nio.ch.Net.connect)"), List.of());

        assertThat(out.toString(StandardCharsets.UTF_8).split("\n"))
                .singleElement()
                .asString()
                .contains("\"missing\":\"NET_CONNECT (sun.nio.ch.Net.connect)\"");
    }

    @Test
    void nothingMissingIsOneStatusLineAndNoMetric() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViolationReporter reporter = new ViolationReporter(out, "orders", new Invocations(null, false));

        reporter.hooksChecked("25", 31, 20, 11, List.of(), List.of());

        assertThat(out.toString(StandardCharsets.UTF_8).split("\n"))
                .singleElement()
                .asString()
                .contains("\"state\":\"hooks-checked\"", "\"missing\":\"\"");
    }
}
