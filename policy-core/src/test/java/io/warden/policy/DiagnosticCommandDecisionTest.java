package io.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class DiagnosticCommandDecisionTest {

    private static final PolicyEvaluator ALERT_WITH_BLOCKED_DENIES = PolicyEvaluatorTest.evaluator(
            "{\"version\":1,\"mode\":\"alert\",\"files\":{\"denyMode\":\"block\"},\"native\":{\"denyMode\":\"block\"},"
                    + "\"network\":{\"denyMode\":\"alert\"}}");

    @Test
    void commandsThatOnlyReadTheVmAreAllowed() {
        for (String command : new String[] {"VM.version", "Thread.print", "GC.class_histogram", "help"}) {
            assertThat(ALERT_WITH_BLOCKED_DENIES.diagnosticCommand(command).permitted())
                    .as(command)
                    .isTrue();
        }
    }

    @Test
    void everyOtherCommandIsABuiltInDenialUnderTheDenyModeOfWhatItReaches() {
        Decision agent = ALERT_WITH_BLOCKED_DENIES.diagnosticCommand("JVMTI.agent_load");
        assertThat(agent.category()).isEqualTo(Category.NATIVE);
        assertThat(agent.action()).isEqualTo(Action.BLOCKED);
        assertThat(agent.rule()).isEqualTo("builtin.deny diagnostic-command");

        Decision managementAgent = ALERT_WITH_BLOCKED_DENIES.diagnosticCommand("ManagementAgent.start");
        assertThat(managementAgent.category()).isEqualTo(Category.NETWORK);
        assertThat(managementAgent.action()).isEqualTo(Action.ALERTED);

        for (String command : new String[] {
            "GC.heap_dump",
            "Thread.dump_to_file",
            "JFR.start",
            "VM.set_flag",
            "VM.log",
            "VM.cds",
            "Compiler.directives_add",
            "Some.future_command"
        }) {
            Decision decision = ALERT_WITH_BLOCKED_DENIES.diagnosticCommand(command);
            assertThat(decision.category()).as(command).isEqualTo(Category.FILE);
            assertThat(decision.action()).as(command).isEqualTo(Action.BLOCKED);
        }
    }
}
