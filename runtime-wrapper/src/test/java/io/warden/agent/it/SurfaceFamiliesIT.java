package io.warden.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.probe.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The families of native entry points that the JDK surface classification found below the hooks and that are now
 * hooked: reachability probes, reverse DNS lookups and the VM options that write heap dumps. Each is tried as code in
 * the function would, in block mode (refused, reported) and in alert mode (goes through, reported); enforcement holds
 * afterwards, and the benign forms work as they do without Warden.
 */
class SurfaceFamiliesIT extends WithLoopbackServers {

    /** The dump trigger first: it is judged by the HeapDumpPath the JVM started with, which the others change. */
    private static final List<String> ATTEMPTS = List.of(
            "surface-reachable-denied",
            "surface-reverse-dns",
            "surface-canonical-name",
            "surface-heap-dump-on-oom-denied",
            "surface-heap-dump-path-denied",
            "surface-heap-dump-path-jmx-denied");

    private static final List<String> BENIGN = List.of(
            "surface-reachable-allowed",
            "surface-heap-dump-path-allowed",
            "surface-vm-option-benign",
            "surface-jmx-query");

    @Test
    void blockModeRefusesEachAndReportsItAndEnforcementHoldsAfterwards(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "block");

        assertThat(result.result("surface-reachable-denied"))
                .as(result.toString())
                .isEqualTo("OK reachable false");
        assertThat(result.result("surface-reverse-dns")).isEqualTo("OK name 127.0.0.1");
        assertThat(result.result("surface-canonical-name")).isEqualTo("OK name 127.0.0.1");
        assertThat(result.result("surface-heap-dump-path-denied"))
                .startsWith("FAILED java.lang.SecurityException: Blocked by Warden: file heap-dump "
                        + root.resolve("denied/heap.hprof"));
        assertThat(result.result("surface-heap-dump-path-jmx-denied"))
                .contains("SecurityException: Blocked by Warden: file heap-dump " + root.resolve("denied/jmx.hprof"));
        assertThat(result.result("surface-heap-dump-on-oom-denied"))
                .startsWith("FAILED java.lang.SecurityException: Blocked by Warden: file heap-dump "
                        + root.resolve("denied/start.hprof"));
        assertReported(result, root, "blocked");
        assertBenignFormsWork(result, root);
        assertThat(result.result("socket-denied")).as("after every attempt").contains("Blocked by Warden");
        assertThat(result.result("files-read-denied")).as("after every attempt").contains("Blocked by Warden");
        assertThat(result.lines()).noneSatisfy(line -> assertThat(line).startsWith("{\"warden\":\"error\""));
    }

    @Test
    void alertModeLetsEachThroughAndReportsIt(@TempDir Path root) throws Exception {
        AgentJvm.Result result = probe(root, "alert");

        assertThat(result.result("surface-reachable-denied"))
                .as(result.toString())
                .isEqualTo("OK reachable true");
        assertThat(result.result("surface-reverse-dns")).isEqualTo("OK name localhost");
        assertThat(result.result("surface-heap-dump-path-denied"))
                .isEqualTo("OK HeapDumpPath " + root.resolve("denied/heap.hprof"));
        assertThat(result.result("surface-heap-dump-on-oom-denied")).isEqualTo("OK HeapDumpOnOutOfMemoryError true");
        assertReported(result, root, "alerted");
        assertBenignFormsWork(result, root);
        assertThat(result.result("socket-denied")).isEqualTo("OK connected true");
        assertThat(result.violations())
                .as("after every attempt")
                .anySatisfy(line -> assertThat(line)
                        .contains("\"category\":\"network\"", "\"target\":\"127.0.0.1:" + servers.deniedPort() + "\""));
    }

    private static void assertReported(AgentJvm.Result result, Path root, String action) {
        assertThat(result.violations())
                .anySatisfy(line -> assertThat(line)
                        .contains(
                                "\"category\":\"network\"",
                                "\"operation\":\"probe\"",
                                "\"target\":\"127.0.0.1:7\"",
                                "\"action\":\"" + action + "\""));
        assertThat(result.violations())
                .anySatisfy(line -> assertThat(line)
                        .contains(
                                "\"category\":\"dns\"",
                                "\"operation\":\"reverse\"",
                                "\"target\":\"1.0.0.127.in-addr.arpa\"",
                                "\"action\":\"" + action + "\""));
        for (String file : List.of("heap.hprof", "start.hprof")) {
            assertThat(result.violations())
                    .anySatisfy(line -> assertThat(line)
                            .contains(
                                    "\"category\":\"file\"",
                                    "\"operation\":\"heap-dump\"",
                                    "\"target\":\"" + root.resolve("denied").resolve(file) + "\"",
                                    "\"action\":\"" + action + "\""));
        }
    }

    private static void assertBenignFormsWork(AgentJvm.Result result, Path root) {
        assertThat(result.result("surface-reachable-allowed")).isEqualTo("OK reachable true");
        assertThat(result.result("surface-heap-dump-path-allowed"))
                .isEqualTo("OK HeapDumpPath " + root.resolve("allowed/heap.hprof"));
        assertThat(result.result("surface-vm-option-benign")).isEqualTo("OK PrintConcurrentLocks true");
        assertThat(result.result("surface-jmx-query")).isEqualTo("OK platform MBeans true, heap used true");
        assertThat(result.violations())
                .noneSatisfy(line -> assertThat(line)
                        .containsAnyOf("127.0.0.2", root.resolve("allowed").toString(), "PrintConcurrentLocks"));
    }

    private static AgentJvm.Result probe(Path root, String mode) throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path denied = Files.createDirectories(root.resolve("denied"));
        Files.writeString(denied.resolve("data.txt"), "denied data");
        List<String> operations = new ArrayList<>(ATTEMPTS);
        operations.addAll(BENIGN);
        operations.add("socket-denied");
        operations.add("files-read-denied");
        String policy = "{\"version\":1,\"mode\":\"" + mode + "\",\"network\":{\"allow\":[\"127.0.0.1:"
                + servers.allowedPort() + "\",\"127.0.0.2:7\"]},\"files\":{\"read\":[\"" + root + "/allowed/**\"],"
                + "\"write\":[\"" + root + "/allowed/**\"],\"deny\":[\"" + root + "/denied/**\"]}}";
        AgentJvm.Result result = new AgentJvm()
                .env("WARDEN_POLICY", policy)
                .workingDirectory(root)
                .option("-XX:HeapDumpPath=" + denied.resolve("start.hprof"))
                .option("-Dprobe.allowedPort=" + servers.allowedPort())
                .option("-Dprobe.deniedPort=" + servers.deniedPort())
                .option("-Dprobe.allowedDir=" + allowed)
                .option("-Dprobe.deniedDir=" + denied)
                .run(Probe.class.getName(), operations);
        assertThat(result.exitCode).as(result.toString()).isZero();
        return result;
    }
}
