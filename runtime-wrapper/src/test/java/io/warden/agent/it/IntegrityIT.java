package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.agent.core.hooks.ExpectedHooks;
import io.warden.agent.core.hooks.Hook;
import io.warden.policy.MetricNames;
import io.warden.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial suite: code inside the function attacks Warden itself (docs/threat-model.md). Every attack runs in
 * block mode and in alert mode in a forked JVM with the built agent; each must get what the threat model says, be
 * reported, and leave enforcement standing: a connect to a denied address after all of them is still blocked.
 */
class IntegrityIT extends WithLoopbackServers {

    /**
     * One attack: what its result must contain in block and in alert mode, what the violation it must be reported as
     * contains (null: it is no operation of the policy's, there is nothing to report), and the JDKs it applies to.
     */
    record Attack(
            String operation,
            List<String> violation,
            List<String> blocked,
            List<String> alerted,
            int fromJdk,
            int toJdk) {
        boolean appliesHere() {
            int feature = Runtime.version().feature();
            return feature >= fromJdk && feature <= toJdk;
        }
    }

    static final List<Attack> ATTACKS = List.of(
            // First: the legacy implementations are chosen when the JVM makes its first socket.
            new Attack(
                    "attack-legacy-socket",
                    fromAttack("network", "connect"),
                    List.of("OK Blocked by Warden: network connect", "(in java.net.AbstractPlainSocketImpl)"),
                    List.of("OK connected true"),
                    17,
                    17),
            new Attack(
                    "attack-legacy-datagram",
                    fromAttack("network", "send"),
                    List.of("OK Blocked by Warden: network send", "(in java.net.AbstractPlainDatagramSocketImpl)"),
                    List.of("OK sent"),
                    17,
                    17),
            new Attack(
                    "attack-diagnostic-agent-load",
                    fromAttack("native", "diagnostic-command"),
                    List.of(
                            "OK Blocked by Warden: native diagnostic-command JVMTI.agent_load (rule builtin.deny diagnostic-command)"),
                    List.of("OK ran"),
                    17,
                    99),
            new Attack(
                    "attack-diagnostic-set-flag",
                    fromAttack("file", "diagnostic-command"),
                    List.of(
                            "OK Blocked by Warden: file diagnostic-command VM.set_flag (rule builtin.deny diagnostic-command)"),
                    List.of("OK ran"),
                    17,
                    99),
            new Attack(
                    "attack-heap-dump",
                    fromAttack("file", "heap-dump"),
                    List.of("OK Blocked by Warden: file heap-dump ", "/denied/heap.hprof (rule files.deny[0])"),
                    List.of("OK dumped true"),
                    17,
                    99),
            // Reading the VM's state is no escape: it works in every mode, unreported.
            new Attack(
                    "attack-diagnostic-read-only",
                    null,
                    List.of("OK ran ", "VM version"),
                    List.of("OK ran ", "VM version"),
                    17,
                    99),
            new Attack(
                    "attack-foreign-downcall",
                    fromAttack("native", "downcall"),
                    List.of("OK Blocked by Warden: native downcall (", "(rule native.allow (no match))"),
                    List.of("OK called getpid true"),
                    22,
                    99),
            new Attack(
                    "attack-foreign-library",
                    fromAttack("native", "load"),
                    List.of("OK Blocked by Warden: native load ", "/denied/lib.so (rule native.allow (no match))"),
                    List.of("OK not opened: "),
                    22,
                    99),
            new Attack(
                    "attack-agent-entry", null, List.of("OK registered null"), List.of("OK registered null"), 17, 99),
            new Attack(
                    "attack-agent-module",
                    fromAttack("process", "exec"),
                    List.of(
                            "OK Cannot run program \"sh\": Blocked by Warden: process exec sh -c exit 7",
                            "warden classes seen 0",
                            "no way into java.lang"),
                    List.of("OK exit 7", "no way into java.lang"),
                    17,
                    99),
            new Attack(
                    "attack-throwing-command",
                    fromAttack("process", "exec"),
                    List.of("OK Cannot run program \"sh\": Blocked by Warden: process exec sh -c exit 7"),
                    List.of("OK exit 7"),
                    17,
                    99),
            new Attack(
                    "attack-throwing-file",
                    fromAttack("file", "delete"),
                    List.of("OK deleted false"),
                    List.of("OK deleted true"),
                    17,
                    99));

    /** A violation of this category and operation that the attack itself caused. */
    private static List<String> fromAttack(String category, String operation) {
        return List.of(
                "\"category\":\"" + category + "\"",
                "\"operation\":\"" + operation + "\"",
                "\"caller\":\"io.warden.probe.Attacks.");
    }

    @Test
    void blockModeStopsEveryAttackReportsItAndEnforcementHoldsAfterwards(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block");

        for (Attack attack : applicable()) {
            assertThat(result.result(attack.operation()))
                    .as(attack.operation() + "\n" + result)
                    .contains(attack.blocked());
            if (attack.violation() != null) {
                assertThat(result.violations())
                        .as(attack.operation())
                        .anySatisfy(line ->
                                assertThat(line).contains(attack.violation()).contains("\"action\":\"blocked\""));
            }
        }
        assertThat(result.result("socket-denied")).as("after every attack").contains("Blocked by Warden");
        assertThat(result.result("files-read-denied")).as("after every attack").contains("Blocked by Warden");
        assertThat(root.resolve("denied/victim.txt")).as("attack-throwing-file").exists();
        // A check that could not read the caller's objects says so once per hook; nothing else went wrong.
        assertThat(result.lines())
                .filteredOn(line -> line.startsWith("{\"warden\":\"error\""))
                .allSatisfy(line -> assertThat(line)
                        .contains("could not be read", "IllegalStateException: unreadable while Warden reads it"));
    }

    @Test
    void alertModeReportsEveryAttackAndStillReportsAfterwards(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "alert");

        for (Attack attack : applicable()) {
            assertThat(result.result(attack.operation()))
                    .as(attack.operation() + "\n" + result)
                    .contains(attack.alerted());
            if (attack.violation() != null) {
                assertThat(result.violations())
                        .as(attack.operation())
                        .anySatisfy(line ->
                                assertThat(line).contains(attack.violation()).contains("\"action\":\"alerted\""));
            }
        }
        assertThat(result.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(result.violations())
                .as("after every attack")
                .anySatisfy(line -> assertThat(line)
                        .contains(
                                "\"category\":\"network\"",
                                "\"target\":\"127.0.0.1:" + servers.deniedPort() + "\"",
                                "\"action\":\"alerted\""));
    }

    /**
     * A SecureRandom provider the function put first must never run inside Warden's reporting, where its own connect
     * would go through unseen: event ids come from the kernel. Alone in its JVM, since the JDK's UUID generator is
     * chosen once, on first use.
     */
    @Test
    void theFunctionsSecureRandomProviderNeverRunsInsideWarden(@TempDir Path root) throws Exception {
        for (String mode : List.of("block", "alert")) {
            AgentJvm.Result result = new AgentJvm()
                    .env("WARDEN_POLICY", "{\"version\":1,\"mode\":\"" + mode + "\"}")
                    .workingDirectory(root)
                    .option("-Dprobe.deniedPort=" + servers.deniedPort())
                    .run(Probe.class.getName(), List.of("attack-secure-random-provider"));
            assertThat(result.exitCode).as(result.toString()).isZero();
            assertThat(result.result("attack-secure-random-provider"))
                    .as(result.toString())
                    .startsWith(mode.equals("block") ? "OK Blocked by Warden: network connect" : "OK connected")
                    .endsWith("; provider's connects []");
            assertThat(result.violations())
                    .singleElement()
                    .asString()
                    .containsPattern("\"id\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"");
        }
    }

    /**
     * A gadget the serial filter rejects, as the JVM's first violation: reporting it is Warden's own work like every other
     * report, so Warden's first read of the kernel's random UUID is no violation held against the function, and the
     * event id comes from the kernel rather than from a generator seeded with the time.
     */
    @Test
    void aRejectedGadgetIsReportedAloneWithAnEventIdFromTheKernel() throws Exception {
        for (String mode : List.of("block", "alert")) {
            AgentJvm.Result result = new AgentJvm()
                    .env("WARDEN_POLICY", "{\"version\":1,\"mode\":\"" + mode + "\"}")
                    .run(Probe.class.getName(), List.of("deserialize-gadget"));
            assertThat(result.exitCode).as(result.toString()).isZero();
            assertThat(result.violations())
                    .as(mode + "\n" + result)
                    .singleElement()
                    .asString()
                    .contains("\"category\":\"deserialization\"", "InvokerTransformer")
                    .containsPattern("\"id\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"");
        }
    }

    /**
     * Under SnapStart the function can take Warden's CRaC resource from the runtime's context and ask the proxy for the
     * object behind it; from there reflection, collections and the static fields of every Warden class reach none of
     * Warden's state. The runtime's own checkpoint and restore calls still work.
     */
    @Test
    void theSnapStartResourceLeadsTheFunctionToNothingOfWardens(@TempDir Path root) throws Exception {
        Path classes = root.resolve("warden-classes.txt");
        Files.write(classes, wardenClassNames());
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                                + "\"]},\"files\":{\"read\":[\"" + root + "/**\"]}}")
                .env("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.wardenClasses=" + classes)
                .run(Probe.class.getName(), List.of("attack-snapstart-resource", "socket-channel-denied"));
        assertThat(result.exitCode).as(result.toString()).isZero();

        assertThat(result.result("attack-snapstart-resource"))
                .as(result.toString())
                .isEqualTo("OK handlers 1; reached []");
        assertThat(result.lines()).anySatisfy(line -> assertThat(line).contains("\"state\":\"restored\""));
        assertThat(result.result("socket-channel-denied")).as("afterwards").contains("Blocked by Warden");
    }

    /** The names of Warden's classes, as an attacker reads them from the agent's jar (the policy core relocated). */
    private static List<String> wardenClassNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (Path dir : List.of(Path.of("target/classes"), Path.of("../policy-core/target/classes"))) {
            try (var files = Files.walk(dir)) {
                files.filter(file -> file.toString().endsWith(".class")).forEach(file -> {
                    String name = dir.relativize(file).toString().replace('/', '.');
                    names.add(name.substring(0, name.length() - ".class".length())
                            .replace("io.warden.policy.", "io.warden.agent.shaded.policy."));
                });
            }
        }
        assertThat(names).contains("io.warden.agent.core.report.ViolationReporter");
        return names;
    }

    /**
     * The self-check loads no class: at start-up it verifies the hooked classes already loaded, and each other one as
     * the JVM loads it. The program here loads every hooked class of this JDK, as a function's first use of each would;
     * once the last has loaded, the agent says every expected hook is woven. A hook that did not weave when its class
     * loaded would be named in {@code missing} (and in an error line) at that moment.
     */
    @Test
    void everyHookExpectedOnThisJdkIsWovenAndTheSelfCheckSaysSo() throws Exception {
        List<String> operations = new ArrayList<>();
        operations.add("socket-allowed");
        for (Hook hook : ExpectedHooks.forJdk(Runtime.version().feature())) {
            String operation = "load-class:" + ExpectedHooks.ownerClassName(hook);
            if (!operations.contains(operation)) {
                operations.add(operation);
            }
        }
        AgentJvm.Result result = new AgentJvm()
                .env(
                        "WARDEN_POLICY",
                        "{\"version\":1,\"mode\":\"block\",\"network\":{\"allow\":[\"127.0.0.1:" + servers.allowedPort()
                                + "\"]}}")
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .run(Probe.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> checks = new ArrayList<>();
        for (String line : result.lines()) {
            if (line.contains("\"state\":\"hooks-checked\"")) {
                checks.add(json.readTree(line));
            }
        }
        int expected = ExpectedHooks.forJdk(Runtime.version().feature()).size();
        assertThat(checks).as(result.toString()).hasSize(2);
        JsonNode atStartUp = checks.get(0);
        assertThat(atStartUp.get("jdk").asText()).isEqualTo(Runtime.version().toString());
        assertThat(atStartUp.get("expected").asInt()).isEqualTo(expected);
        assertThat(atStartUp.get("missing").asText()).as(result.toString()).isEmpty();
        assertThat(atStartUp.get("pending").asInt())
                .as("hooked classes the check left to the function to load")
                .isPositive();
        assertThat(atStartUp.get("woven").asInt() + atStartUp.get("pending").asInt())
                .isEqualTo(expected);
        JsonNode allLoaded = checks.get(1);
        assertThat(allLoaded.get("missing").asText()).as(result.toString()).isEmpty();
        assertThat(allLoaded.get("pending").asInt()).isZero();
        assertThat(allLoaded.get("woven").asInt()).isEqualTo(expected);
        assertThat(result.result("socket-allowed")).isEqualTo("OK connected true");
        for (String operation : operations.subList(1, operations.size())) {
            assertThat(result.result(operation)).as(operation).startsWith("OK loaded ");
        }
        assertThat(result.lines())
                .filteredOn(line -> line.startsWith("{\"warden\":\"error\""))
                .isEmpty();
    }

    @Test
    void aStartUpFailureIsAnErrorLineAndAnAgentFailedMetricAndTheFunctionRunsUnlessToldOtherwise(@TempDir Path root)
            throws Exception {
        Path damaged = damagedAgentJar(root);

        AgentJvm.Result open = new AgentJvm()
                .agentJar(damaged)
                .env("AWS_LAMBDA_FUNCTION_NAME", "orders \"eu\"")
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .run(Probe.class.getName(), List.of("socket-allowed"));
        assertThat(open.exitCode).as(open.toString()).isZero();
        assertThat(open.result("socket-allowed")).isEqualTo("OK connected true");
        assertFailureReported(open, "this JVM is not protected");

        AgentJvm.Result closed = new AgentJvm()
                .agentJar(damaged)
                .env("AWS_LAMBDA_FUNCTION_NAME", "orders \"eu\"")
                .env("WARDEN_ON_FAILURE", "closed")
                .run(Probe.class.getName(), List.of("socket-allowed"));
        assertThat(closed.exitCode).as(closed.toString()).isEqualTo(78);
        assertThat(closed.stdout).doesNotContain("RESULT");
        assertFailureReported(closed, "the JVM exits rather than run unprotected (WARDEN_ON_FAILURE=closed)");
    }

    private static void assertFailureReported(AgentJvm.Result result, String outcome) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode error = json.readTree(result.lines().stream()
                .filter(line -> line.startsWith("{\"warden\":\"error\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.toString())));
        assertThat(error.get("function").asText()).isEqualTo("orders \"eu\"");
        assertThat(error.get("message").asText())
                .startsWith("the Warden agent could not start; " + outcome)
                .contains("classes.bin is missing");
        JsonNode metric = json.readTree(result.lines().stream()
                .filter(line -> line.startsWith("{\"_aws\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.toString())));
        JsonNode definition = metric.at("/_aws/CloudWatchMetrics/0");
        assertThat(definition.get("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(definition.at("/Metrics/0/Name").asText()).isEqualTo(MetricNames.AGENT_FAILED);
        assertThat(definition.at("/Dimensions/0/0").asText()).isEqualTo(MetricNames.FUNCTION_NAME);
        assertThat(metric.get(MetricNames.FUNCTION_NAME).asText()).isEqualTo("orders \"eu\"");
        assertThat(metric.get(MetricNames.AGENT_FAILED).asInt()).isEqualTo(1);
    }

    /** The built agent jar without its packed classes: the launcher starts, the agent cannot. */
    private static Path damagedAgentJar(Path root) throws Exception {
        Path damaged = root.resolve("warden-agent.jar");
        try (ZipFile original = new ZipFile(AgentJvm.AGENT_JAR.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(damaged))) {
            for (ZipEntry entry : Collections.list(original.entries())) {
                if (!entry.getName().equals("io/warden/agent/classes.bin")) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (var in = original.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return damaged;
    }

    private static List<Attack> applicable() {
        List<Attack> attacks = new ArrayList<>();
        for (Attack attack : ATTACKS) {
            if (attack.appliesHere()) {
                attacks.add(attack);
            }
        }
        return attacks;
    }

    private static AgentJvm.Result probe(Path root, String mode) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Files.writeString(denied.resolve("data.txt"), "denied data");
        Files.writeString(denied.resolve("victim.txt"), "denied data");
        Files.writeString(denied.resolve("lib.so"), "not a library");
        List<String> operations = new ArrayList<>();
        for (Attack attack : applicable()) {
            operations.add(attack.operation());
        }
        operations.add("socket-denied");
        operations.add("files-read-denied");
        String policy = "{\"version\":1,\"mode\":\"" + mode + "\",\"network\":{\"allow\":[\"127.0.0.1:"
                + servers.allowedPort()
                + "\"]},\"files\":{\"read\":[\"" + root + "/allowed/**\"],\"write\":[\"" + root + "/allowed/**\"],"
                + "\"deny\":[\"" + root + "/denied/**\"]}}";
        AgentJvm.Result result = new AgentJvm()
                .env("WARDEN_POLICY", policy)
                .workingDirectory(root)
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.allowedDir=" + allowed)
                .option("-Dprobe.deniedDir=" + denied)
                .run(Probe.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }
}
