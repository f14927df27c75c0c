package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.Mode;
import io.warden.policy.Policy;
import io.warden.policy.Violation;
import io.warden.service.store.Report;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code warden policy suggest} on a data directory of {@code warden serve}. */
@Tag("fast")
class PolicySuggestCommandTest {

    @TempDir
    Path dataDirectory;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void printsThePolicyThatAllowsWhatWasObserved() throws Exception {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.putPolicy(
                    "orders",
                    Policy.parse("{\"version\": 1, \"mode\": \"alert\"}", "test")
                            .toJson(),
                    Instant.now());
            store.ingest(new Report(
                    "orders",
                    "0.1.0",
                    Mode.ALERT,
                    Instant.now(),
                    List.of(Violation.builder()
                            .function("orders")
                            .category(Category.NETWORK)
                            .operation("connect")
                            .target("sqs.eu-west-1.amazonaws.com:443 (52.1.1.1:443)")
                            .action(Action.ALERTED)
                            .rule("network.allow (no match)")
                            .requestId("r1")
                            .build())));
        }
        Run full = run("policy", "suggest", "orders", "--data-dir", dataDirectory.toString());
        assertThat(full.exitCode()).as(full.err()).isZero();
        assertThat(full.out()).contains("\"observed\"", "\"count\" : 1");

        Run policyOnly = run("policy", "suggest", "orders", "--data-dir", dataDirectory.toString(), "--policy-only");
        assertThat(policyOnly.exitCode()).as(policyOnly.err()).isZero();
        Policy suggested = Policy.parse(policyOnly.out(), "warden policy suggest");
        assertThat(suggested.toJson()).contains("\"sqs.eu-west-1.amazonaws.com:443\"");
    }

    @Test
    void refusesAMissingStoreAndABadName() {
        Run missing = run(
                "policy",
                "suggest",
                "orders",
                "--data-dir",
                dataDirectory.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("holds no store");
        Run badName = run("policy", "suggest", "or ders", "--data-dir", dataDirectory.toString());
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("not a Lambda function name");
    }
}
