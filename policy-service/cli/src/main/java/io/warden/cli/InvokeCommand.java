package io.warden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvocationResult;
import io.warden.invoke.InvokeException;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.LocalLambda;
import io.warden.invoke.LogFormat;
import io.warden.invoke.RuntimeClient;
import io.warden.invoke.UpstreamEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden invoke}: runs a function zip on the real Lambda Java runtime client, locally, with the Warden layer.
 * The function's log (with Warden's lines and Lambda's REPORT figures) goes to stderr, each response to stdout.
 */
@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        description = {
            "Run a Lambda function zip locally exactly as Lambda's Java runtime would, with the Warden layer attached.",
            "The log (function output, Warden's lines, START/END/REPORT) goes to stderr; each response to stdout.",
            "Exit code: 0 every invocation succeeded, 1 an invocation failed, 2 bad input."
        })
public final class InvokeCommand implements Callable<Integer> {

    /** Lambda's limit for a synchronous invocation's payload. */
    static final long MAX_EVENT_BYTES = 6L * 1024 * 1024;

    static final int MAX_TIMES = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--zip", required = true, paramLabel = "FILE", description = "The function's deployment zip.")
    Path zip;

    @Option(
            names = "--handler",
            required = true,
            paramLabel = "HANDLER",
            description = "As in Lambda: package.Class or package.Class::method.")
    String handler;

    @Option(names = "--event", required = true, paramLabel = "FILE", description = "The event, a JSON document.")
    Path event;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "A Warden policy for the agent (passed as WARDEN_POLICY_FILE); default: the layer's own.")
    Path policy;

    @Option(
            names = "--layer",
            paramLabel = "FILE",
            description = "The Warden layer zip; default: the one built with Warden.")
    Path layer;

    @Option(names = "--no-layer", description = "Run the function without the Warden layer.")
    boolean noLayer;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A function environment variable; repeatable.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            converter = LogFormatConverter.class,
            description = "Text (default) or JSON, as AWS_LAMBDA_LOG_FORMAT.")
    LogFormat logFormat = LogFormat.TEXT;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Runtime loops in the JVM (AWS_LAMBDA_MAX_CONCURRENCY); events are then sent N at a time.")
    Integer concurrency;

    @Option(
            names = "--times",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Send the event N times to the same JVM (the first is the cold start). Default: ${DEFAULT-VALUE}.")
    int times;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Each invocation's timeout. Default: 30.")
    Integer timeoutSeconds;

    @Option(
            names = "--memory",
            paramLabel = "MB",
            defaultValue = "" + FunctionSpec.DEFAULT_MEMORY_MB,
            description = "Memory size; the JVM gets Lambda's share of it as heap. Default: ${DEFAULT-VALUE}.")
    int memoryMb;

    @Option(names = "--function-name", paramLabel = "NAME", description = "Default: the zip's file name.")
    String functionName;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            defaultValue = FunctionSpec.DEFAULT_REGION,
            description = "AWS_REGION. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(
            names = "--snap-start",
            description = "Start as SnapStart does: init, checkpoint hooks, restore, then invoke.")
    boolean snapStart;

    @Option(
            names = "--trace-sampled",
            description = "Send every invocation a sampled X-Ray trace header (Sampled=1), as with active tracing.")
    boolean traceSampled;

    @Option(
            names = "--java-home",
            paramLabel = "DIR",
            description = "The JDK that runs the function; default: warden's own.")
    Path javaHome;

    @Option(
            names = "--upstream-echo",
            paramLabel = "PORT",
            description = "Also serve a small HTTP endpoint on 127.0.0.1:PORT for the function to call; it answers"
                    + " every request with what it received.")
    Integer upstreamEchoPort;

    @Option(names = "--pretty", description = "Indent JSON responses.")
    boolean pretty;

    @Override
    @SuppressWarnings("try") // the upstream echo is only held open while the function runs
    public Integer call() throws Exception {
        FunctionSpec function = functionSpec();
        List<byte[]> events = Collections.nCopies(times, readEvent());
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter out = commandSpec.commandLine().getOut();
        InvokeRun run;
        try (UpstreamEcho upstream = upstreamEchoPort == null
                ? null
                : UpstreamEcho.start(upstreamEchoPort, request -> printLine(err, "[upstream-echo] " + request))) {
            run = LocalLambda.invoke(function, events, line -> printLine(err, line));
        } catch (InvokeException e) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage(), e);
        }
        for (InvocationResult result : run.results()) {
            out.println(render(result.payloadText()));
        }
        out.flush();
        return run.allSucceeded() ? 0 : 1;
    }

    private FunctionSpec functionSpec() {
        if (noLayer && layer != null) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--layer and --no-layer exclude each other");
        }
        if (times < 1 || times > MAX_TIMES) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--times " + times + " is outside 1.." + MAX_TIMES);
        }
        FunctionSpec.Builder builder = FunctionSpec.builder(zip, handler)
                .layer(noLayer ? null : layer == null ? RuntimeClient.builtLayer() : layer)
                .policy(policy)
                .env(env)
                .logFormat(logFormat)
                .maxConcurrency(concurrency)
                .memoryMb(memoryMb)
                .functionName(functionName)
                .region(region);
        if (timeoutSeconds != null) {
            builder.timeout(Duration.ofSeconds(timeoutSeconds));
        }
        builder.snapStart(snapStart);
        builder.traceSampled(traceSampled);
        if (javaHome != null) {
            builder.javaHome(javaHome);
        }
        return builder.build();
    }

    /** The event file, read within Lambda's payload limit and checked to be JSON, as Lambda's Invoke API does. */
    private byte[] readEvent() {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(event)) {
            bytes = in.readNBytes((int) MAX_EVENT_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--event " + event + ": no such file");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(),
                    "--event " + event + ": cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + ")");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(),
                    "--event " + event + ": larger than Lambda's " + MAX_EVENT_BYTES + "-byte payload limit");
        }
        try {
            JsonNode parsed = JSON.readTree(bytes);
            if (parsed == null || parsed.isMissingNode()) {
                throw new CommandLine.ParameterException(
                        commandSpec.commandLine(), "--event " + event + ": the file is empty");
            }
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException json
                    ? json.getOriginalMessage()
                            + (json.getLocation() == null
                                    ? ""
                                    : " at line " + json.getLocation().getLineNr() + ", column "
                                            + json.getLocation().getColumnNr())
                    : e.getMessage();
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), "--event " + event + " is not JSON: " + detail);
        }
        return bytes;
    }

    private String render(String payload) {
        if (!pretty) {
            return payload;
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(payload));
        } catch (JsonProcessingException notJson) {
            return payload;
        }
    }

    private static void printLine(PrintWriter writer, String line) {
        synchronized (writer) {
            writer.println(line);
            writer.flush();
        }
    }

    static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
