package io.warden.cli;

import static io.warden.scanner.TestPackages.bytes;
import static io.warden.scanner.TestPackages.realJar;
import static io.warden.scanner.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScanCommandTest {
    @TempDir
    Path dir;

    Path db;
    Path vulnerable;
    Path fixed;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = WardenCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @BeforeEach
    void packages() throws IOException, URISyntaxException {
        db = dir.resolve("db");
        Path fixtures = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(
                fixtures.resolve("WARDEN-TEST-YAML.json"),
                "{\"id\":\"WARDEN-TEST-YAML\",\"summary\":\"fixture\","
                        + "\"database_specific\":{\"severity\":\"HIGH\"},\"affected\":[{\"package\":{\"ecosystem\":\"Maven\","
                        + "\"name\":\"org.yaml:snakeyaml\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
                        + "{\"fixed\":\"2.0\"}]}]}]}");
        assertThat(run("db", "import", fixtures.toString(), "--db", db.toString()))
                .isZero();
        assertThat(out.toString()).contains("imported 1 OSV records").contains("1 advisories stored");
        vulnerable = Files.write(
                dir.resolve("old.zip"), zip(Map.of("lib/snakeyaml-1.30.jar", bytes(realJar("snakeyaml-1.30.jar")))));
        fixed = Files.write(
                dir.resolve("new.zip"), zip(Map.of("lib/snakeyaml-2.2.jar", bytes(realJar("snakeyaml-2.2.jar")))));
    }

    @Test
    void exitCodeFollowsTheThreshold() {
        assertThat(run("scan", vulnerable.toString(), "--db", db.toString())).isZero();
        assertThat(out.toString()).contains("WARDEN-TEST-YAML").contains("org.yaml:snakeyaml");
        assertThat(run("scan", vulnerable.toString(), "--db", db.toString(), "--fail-on", "high"))
                .isEqualTo(1);
        assertThat(run("scan", vulnerable.toString(), "--db", db.toString(), "--fail-on", "critical"))
                .isZero();
        assertThat(run("scan", fixed.toString(), "--db", db.toString(), "--fail-on", "low"))
                .isZero();
    }

    @Test
    void writesTheReportToAFile() throws IOException {
        Path report = dir.resolve("report.sarif");
        assertThat(run(
                        "scan",
                        vulnerable.toString(),
                        "--db",
                        db.toString(),
                        "--format",
                        "sarif",
                        "--output",
                        report.toString()))
                .isZero();
        assertThat(Files.readString(report)).contains("\"version\" : \"2.1.0\"").contains("WARDEN-TEST-YAML");
    }

    Path writeText(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheValue() {
        assertThat(run("scan", vulnerable.toString(), "--format", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml' is not a format");
        assertThat(run("scan", vulnerable.toString(), "--fail-on", "severe")).isEqualTo(2);
        assertThat(err.toString()).contains("'severe' is not a severity");
        assertThat(run("scan", dir.resolve("missing.zip").toString())).isEqualTo(2);
        assertThat(run("scan", writeText("hello.zip", "hello").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("hello.zip is not a package").contains("starts with \"hello\"");
        assertThat(err.toString()).contains("no such file or directory: " + dir.resolve("missing.zip"));
        assertThat(run(
                        "scan",
                        vulnerable.toString(),
                        "--db",
                        dir.resolve("nodb").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no advisory database in " + dir.resolve("nodb"));
        assertThat(run("scan", vulnerable.toString(), "--db", db.toString(), "--handler", "not a class"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not a Java handler").contains("'not a class'");
    }

    /** A function built by Maven: its jar names itself like a library, and --handler has it searched for secrets. */
    @Test
    void theHandlersJarIsSearchedForSecrets() throws IOException {
        String key = "AKIA" + "QYLPMN5HXTVW2ZKD";
        String secret = "k9Fz/2Qw" + "Lr8Xv4Tn+Hb6Jm1Pc3Sd" + "7Ge0Ya5Uo2Wi";
        Map<String, byte[]> own = new java.util.LinkedHashMap<>();
        own.put(
                "META-INF/maven/com.example/orders/pom.properties",
                "groupId=com.example\nartifactId=orders\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
        own.put("com/example/orders/Handler.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        own.put(
                "application.properties",
                ("aws.accessKeyId=" + key + "\naws.secretAccessKey=" + secret + "\n").getBytes(StandardCharsets.UTF_8));
        Path function = Files.write(dir.resolve("orders.zip"), zip(Map.of("lib/orders-1.0.jar", zip(own))));

        assertThat(run("scan", function.toString(), "--db", db.toString(), "--format", "json"))
                .isZero();
        assertThat(out.toString()).doesNotContain("aws-access-key-pair");
        out.getBuffer().setLength(0);
        assertThat(run(
                        "scan",
                        function.toString(),
                        "--db",
                        db.toString(),
                        "--format",
                        "json",
                        "--handler",
                        "com.example.orders.Handler::handleRequest",
                        "--fail-on",
                        "critical"))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("aws-access-key-pair")
                .contains("orders.zip!/lib/orders-1.0.jar!/application.properties")
                .doesNotContain(secret);
    }

    @Test
    void aFailedImportChangesNothing() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(
                bad.resolve("A.json"),
                "{\"id\":\"WARDEN-TEST-NEW\",\"affected\":[{\"package\":{\"ecosystem\":"
                        + "\"Maven\",\"name\":\"org.yaml:snakeyaml\"},\"versions\":[\"1.30\"]}]}");
        Files.writeString(bad.resolve("B.json"), "{\"id\": ");
        assertThat(run("db", "import", bad.toString(), "--db", db.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("B.json").contains("invalid JSON");
        out.getBuffer().setLength(0);
        assertThat(run("scan", vulnerable.toString(), "--db", db.toString(), "--format", "json"))
                .isZero();
        assertThat(out.toString()).contains("WARDEN-TEST-YAML").doesNotContain("WARDEN-TEST-NEW");
    }
}
