package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.invoke.LambdaFixtures;
import io.warden.invoke.testfunctions.EnvironmentProbe;
import io.warden.invoke.testfunctions.Throwing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InvokeCommandTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void runsTheFunctionPrintingTheResponseToStdoutAndTheLogToStderr() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{\"who\":\"cli\"}");

        int exit = run(
                "--zip",
                LambdaFixtures.testFunctionsZip().toString(),
                "--handler",
                EnvironmentProbe.class.getName(),
                "--event",
                event.toString(),
                "--no-layer",
                "--env",
                "STAGE=test",
                "--function-name",
                "cli-probe");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("\"who\":\"cli\"", "\"STAGE\":\"test\"", "\"functionName\":\"cli-probe\"");
        assertThat(err.toString())
                .contains("START RequestId: ", "END RequestId: ", "REPORT RequestId: ", "Init Duration: ");
    }

    @Test
    void failedInvocationExitsWithOne() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{\"reason\":\"cli\"}");

        int exit = run(
                "--zip",
                LambdaFixtures.testFunctionsZip().toString(),
                "--handler",
                Throwing.class.getName(),
                "--event",
                event.toString(),
                "--no-layer");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("\"errorMessage\":\"refused: cli\"");
    }

    @Test
    void missingZipIsAUsageError() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{}");
        Path missing = temp.resolve("nope.zip");

        assertThat(run("--zip", missing.toString(), "--handler", "a.B", "--event", event.toString()))
                .isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--zip " + missing + ": no such file");
    }

    @Test
    void badHandlerIsAUsageError() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{}");

        assertThat(run(
                        "--zip",
                        LambdaFixtures.testFunctionsZip().toString(),
                        "--handler",
                        "pkg.Handler::handle()",
                        "--event",
                        event.toString()))
                .isEqualTo(2);
        assertThat(firstErrorLine())
                .isEqualTo(
                        "--handler 'pkg.Handler::handle()' is not a Lambda Java handler: expected package.Class or package.Class::method");
    }

    @Test
    void eventThatIsNotJsonIsAUsageErrorNamingWhere() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{\"a\": 1,\n \"b\": }");

        assertThat(run(
                        "--zip",
                        LambdaFixtures.testFunctionsZip().toString(),
                        "--handler",
                        "a.B",
                        "--event",
                        event.toString()))
                .isEqualTo(2);
        assertThat(firstErrorLine())
                .startsWith("--event " + event + " is not JSON: Unexpected character ('}'")
                .endsWith("at line 2, column 7");
    }

    @Test
    void missingOrEmptyEventIsAUsageError() throws Exception {
        Path missing = temp.resolve("missing.json");
        assertThat(run(
                        "--zip",
                        LambdaFixtures.testFunctionsZip().toString(),
                        "--handler",
                        "a.B",
                        "--event",
                        missing.toString()))
                .isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--event " + missing + ": no such file");

        Path empty = Files.writeString(temp.resolve("empty.json"), "");
        assertThat(run(
                        "--zip",
                        LambdaFixtures.testFunctionsZip().toString(),
                        "--handler",
                        "a.B",
                        "--event",
                        empty.toString()))
                .isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--event " + empty + ": the file is empty");
    }

    @Test
    void reservedVariablesAndBadSettingsAreUsageErrors() throws Exception {
        Path event = Files.writeString(temp.resolve("event.json"), "{}");
        List<String> base = List.of(
                "--zip",
                LambdaFixtures.testFunctionsZip().toString(),
                "--handler",
                "a.B",
                "--event",
                event.toString(),
                "--no-layer");

        assertThat(run(with(base, "--env", "AWS_LAMBDA_LOG_FORMAT=JSON"))).isEqualTo(2);
        assertThat(firstErrorLine())
                .isEqualTo(
                        "--env AWS_LAMBDA_LOG_FORMAT: the local runtime sets this variable itself, as Lambda does; use --log-format");
        assertThat(run(with(base, "--memory", "64"))).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--memory 64 is outside Lambda's range 128..10240 MB");
        assertThat(run(with(base, "--log-format", "xml"))).isEqualTo(2);
        assertThat(firstErrorLine()).contains("log format 'xml' is not Text or JSON");
        assertThat(run(with(base, "--times", "0"))).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--times 0 is outside 1..1000");
        assertThat(run(with(base, "--layer", event.toString()))).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--layer and --no-layer exclude each other");
    }

    private static String[] with(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = WardenCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "invoke";
        System.arraycopy(args, 0, full, 1, args.length);
        return command.execute(full);
    }

    private String firstErrorLine() {
        return err.toString().lines().findFirst().orElse("");
    }
}
