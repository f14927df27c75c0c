package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.Policy;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code warden policy apply} on a data directory of {@code warden serve}: review, confirmation, storing. */
class PolicyApplyCommandTest {

    static final String IN_FORCE =
            "{\"version\": 1, \"mode\": \"alert\", \"network\": {\"allow\": [\"legacy.example.com:443\"]}}";

    @TempDir
    Path dataDirectory;

    record Run(int exitCode, String out, String err) {}

    Run run(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        PolicyApplyCommand apply =
                cli.getSubcommands().get("policy").getSubcommands().get("apply").getCommand();
        apply.confirmation = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @BeforeEach
    void seed() throws Exception {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.putPolicy("orders", Policy.parse(IN_FORCE, "test").toJson(), Instant.parse("2026-12-01T00:00:00Z"));
            store.observations()
                    .record(new Observation(
                            java.util.UUID.randomUUID().toString(),
                            "orders",
                            "3",
                            null,
                            "eu-west-1",
                            "r1",
                            Instant.parse("2026-12-01T12:00:00Z"),
                            null,
                            0,
                            List.of(
                                    new ObservedItem.Network(
                                            "connect", "sqs.eu-west-1.amazonaws.com", "52.1.1.1", 443, 4, "X.send"),
                                    new ObservedItem.Aws(
                                            "sqs",
                                            "SendMessage",
                                            "eu-west-1",
                                            Map.of("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/1/orders"),
                                            null,
                                            4,
                                            "X.send"),
                                    new ObservedItem.File("write", "/tmp/**", 2, null))));
        }
    }

    String stored() {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            return store.policy("orders").orElseThrow().json();
        }
    }

    @Test
    void showsTheDifferenceAndStoresNothingUnlessConfirmed() throws Exception {
        String before = stored();
        Run declined = run("n\n", "policy", "apply", "orders", "--data-dir", dataDirectory.toString());
        assertThat(declined.exitCode()).as(declined.err()).isEqualTo(1);
        assertThat(declined.out())
                .contains("+ /network/allow \"sqs.eu-west-1.amazonaws.com:443\"  (4 seen, last 2026-12-01T12:00:00Z, by"
                        + " X.send; endpoint of sqs SendMessage)")
                .contains("+ /files/write \"/tmp/**\"")
                .contains("- /network/allow \"legacy.example.com:443\"  (nothing observed needed it)")
                .contains("Rests on: 1 observation lines (3 items")
                .contains("Warning: observed for less than 7 days")
                .contains("Store this policy for orders? [y/N]")
                .contains("Not stored.");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void storesTheSuggestionWhenConfirmedInTheModeAsked() throws Exception {
        Run applied =
                run("y\n", "policy", "apply", "orders", "--data-dir", dataDirectory.toString(), "--mode", "block");
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("~ mode alert -> block", "Stored the policy of orders");
        Policy policy = Policy.parse(stored(), "stored");
        assertThat(policy.toJson())
                .contains("\"sqs.eu-west-1.amazonaws.com:443\"", "\"/tmp/**\"", "\"block\"")
                .doesNotContain("legacy.example.com", "\"alert\"");

        Run again = run("", "policy", "apply", "orders", "--data-dir", dataDirectory.toString(), "--mode", "block");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already this one; nothing stored");
    }

    @Test
    void yesStoresWithoutAskingAndBadInputIsAUsageError() {
        Run applied = run("", "policy", "apply", "orders", "--data-dir", dataDirectory.toString(), "--yes");
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).doesNotContain("[y/N]");
        assertThat(stored()).contains("sqs.eu-west-1.amazonaws.com:443").contains("\"alert\"");

        Run badMode = run("", "policy", "apply", "orders", "--data-dir", dataDirectory.toString(), "--mode", "loud");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.err()).contains("--mode");
        Run noStore = run(
                "",
                "policy",
                "apply",
                "orders",
                "--data-dir",
                dataDirectory.resolve("x").toString());
        assertThat(noStore.exitCode()).isEqualTo(2);
        assertThat(noStore.err()).contains("holds no store");
    }
}
