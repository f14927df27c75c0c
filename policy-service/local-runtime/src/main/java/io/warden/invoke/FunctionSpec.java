package io.warden.invoke;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A function as Lambda would be configured to run it: its deployment zip and handler, the Warden layer (or none),
 * the policy, its environment variables and its settings. Build one with {@link #builder(Path, String)}.
 */
public record FunctionSpec(
        Path zip,
        String handler,
        Path layer,
        Path policy,
        Map<String, String> environment,
        LogFormat logFormat,
        Integer maxConcurrency,
        int memoryMb,
        Duration timeout,
        String functionName,
        String region,
        Path javaHome,
        boolean snapStart,
        boolean traceSampled) {

    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 10_240;
    public static final int DEFAULT_MEMORY_MB = 512;
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);
    /** Longer than Lambda's 3 s default: a JVM on a developer's machine starts and warms up more slowly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public static final int MAX_CONCURRENCY = 64;
    public static final String DEFAULT_REGION = "us-east-1";
    /** The variable the Warden agent reads its policy file from. */
    public static final String POLICY_FILE_VARIABLE = "WARDEN_POLICY_FILE";

    /** Lambda's handler forms: {@code package.Class} and {@code package.Class::method}. */
    private static final Pattern HANDLER = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*"
                    + "(::\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)?");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Variables the local runtime sets itself, each with the option that controls it (or ""). */
    private static final Map<String, String> RESERVED = reserved();

    public FunctionSpec {
        environment = Map.copyOf(environment);
    }

    public static Builder builder(Path zip, String handler) {
        return new Builder(zip, handler);
    }

    public Builder toBuilder() {
        Builder builder = new Builder(zip, handler);
        builder.layer = layer;
        builder.policy = policy;
        builder.environment.putAll(environment);
        builder.logFormat = logFormat;
        builder.maxConcurrency = maxConcurrency;
        builder.memoryMb = memoryMb;
        builder.timeout = timeout;
        builder.functionName = functionName;
        builder.region = region;
        builder.javaHome = javaHome;
        builder.snapStart = snapStart;
        builder.traceSampled = traceSampled;
        return builder;
    }

    /** The function name Lambda would show: given, or the zip's file name without {@code .zip}. */
    public String effectiveFunctionName() {
        if (functionName != null) {
            return functionName;
        }
        String file = zip.getFileName().toString();
        String base = file.endsWith(".zip") ? file.substring(0, file.length() - ".zip".length()) : file;
        String cleaned = base.replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.isEmpty() ? "function" : cleaned.substring(0, Math.min(cleaned.length(), 64));
    }

    /** Checks everything a run needs before anything starts; the message names the offending value. */
    public void validate() throws InvokeException {
        requireReadableFile("--zip", zip);
        if (handler == null || !HANDLER.matcher(handler).matches()) {
            throw new InvokeException("--handler '" + handler + "' is not a Lambda Java handler:"
                    + " expected package.Class or package.Class::method");
        }
        if (layer != null) {
            requireReadableFile("--layer", layer);
        }
        if (policy != null) {
            requireReadableFile("--policy", policy);
            if (environment.containsKey(POLICY_FILE_VARIABLE)) {
                throw new InvokeException(
                        "--env " + POLICY_FILE_VARIABLE + " and --policy both name a policy; use one");
            }
        }
        for (String name : environment.keySet()) {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new InvokeException("--env '" + name + "' is not a valid environment variable name");
            }
            if (RESERVED.containsKey(name)) {
                String option = RESERVED.get(name);
                throw new InvokeException(
                        "--env " + name + ": the local runtime sets this variable itself, as Lambda does"
                                + (option.isEmpty() ? "" : "; use " + option));
            }
        }
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new InvokeException("--memory " + memoryMb + " is outside Lambda's range " + MIN_MEMORY_MB + ".."
                    + MAX_MEMORY_MB + " MB");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvokeException("--timeout " + timeout.toSeconds() + " s is outside Lambda's range 1.."
                    + MAX_TIMEOUT.toSeconds() + " s");
        }
        if (maxConcurrency != null && (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY)) {
            throw new InvokeException("--concurrency " + maxConcurrency + " is outside 1.." + MAX_CONCURRENCY);
        }
        if (functionName != null && !FUNCTION_NAME.matcher(functionName).matches()) {
            throw new InvokeException("--function-name '" + functionName
                    + "' is not a Lambda function name (1 to 64 letters, digits, '-' or '_')");
        }
        if (region == null || !REGION.matcher(region).matches()) {
            throw new InvokeException("--region '" + region + "' is not an AWS region name such as us-east-1");
        }
        Path java = javaExecutable();
        if (!Files.isExecutable(java)) {
            throw new InvokeException("--java-home " + javaHome + " has no executable " + java);
        }
    }

    Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    private static void requireReadableFile(String option, Path file) throws InvokeException {
        if (!Files.exists(file)) {
            throw new InvokeException(option + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvokeException(option + " " + file + ": not a readable file");
        }
    }

    private static Map<String, String> reserved() {
        Map<String, String> reserved = new LinkedHashMap<>();
        reserved.put("_HANDLER", "--handler");
        reserved.put("AWS_LAMBDA_FUNCTION_NAME", "--function-name");
        reserved.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "--memory");
        reserved.put("AWS_LAMBDA_LOG_FORMAT", "--log-format");
        reserved.put("AWS_LAMBDA_MAX_CONCURRENCY", "--concurrency");
        reserved.put("AWS_REGION", "--region");
        reserved.put("AWS_DEFAULT_REGION", "--region");
        reserved.put("AWS_LAMBDA_EXEC_WRAPPER", "--layer");
        for (String name : new String[] {
            "AWS_LAMBDA_RUNTIME_API",
            "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR",
            "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_LAMBDA_INITIALIZATION_TYPE",
            "AWS_EXECUTION_ENV",
            "AWS_XRAY_DAEMON_ADDRESS",
            "AWS_XRAY_CONTEXT_MISSING"
        }) {
            reserved.put(name, "");
        }
        return Map.copyOf(reserved);
    }

    /** Settings start at Lambda's defaults (except the timeout, see {@link #DEFAULT_TIMEOUT}). */
    public static final class Builder {
        private final Path zip;
        private final String handler;
        private Path layer;
        private Path policy;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private LogFormat logFormat = LogFormat.TEXT;
        private Integer maxConcurrency;
        private int memoryMb = DEFAULT_MEMORY_MB;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String functionName;
        private String region = DEFAULT_REGION;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private boolean snapStart;
        private boolean traceSampled;

        private Builder(Path zip, String handler) {
            this.zip = zip;
            this.handler = handler;
        }

        /** The Warden layer zip to attach through its exec wrapper; null runs the function without a layer. */
        public Builder layer(Path layer) {
            this.layer = layer;
            return this;
        }

        public Builder policy(Path policy) {
            this.policy = policy;
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Builder logFormat(LogFormat logFormat) {
            this.logFormat = logFormat;
            return this;
        }

        /** Sets {@code AWS_LAMBDA_MAX_CONCURRENCY}: that many runtime loops in one JVM; null leaves it unset. */
        public Builder maxConcurrency(Integer maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Starts the function as SnapStart does: init, checkpoint hooks, restore, then invocations. */
        public Builder snapStart(boolean snapStart) {
            this.snapStart = snapStart;
            return this;
        }

        /**
         * Every invocation's trace header says {@code Sampled=1}, as with active tracing, so that the SDK's and X-Ray's
         * instrumentation take their traced paths (X-Ray's daemon address is loopback here).
         */
        public Builder traceSampled(boolean traceSampled) {
            this.traceSampled = traceSampled;
            return this;
        }

        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public FunctionSpec build() {
            return new FunctionSpec(
                    zip,
                    handler,
                    layer,
                    policy,
                    environment,
                    logFormat,
                    maxConcurrency,
                    memoryMb,
                    timeout,
                    functionName,
                    region,
                    javaHome,
                    snapStart,
                    traceSampled);
        }
    }
}
