package io.warden.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a program in a forked JVM (the same JDK as the test) with the built agent jar, and collects what it printed. */
final class AgentJvm {

    static final Path AGENT_JAR = Path.of(System.getProperty("warden.agentJar", "target/warden-agent.jar"));
    private static final long TIMEOUT_SECONDS = 120;

    static final List<String> VERIFY_JDK_CLASSES =
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal");

    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean withAgent = true;
    private Path agentJar = AGENT_JAR;
    private Path workingDirectory = Path.of(".").toAbsolutePath();
    private Path wrapper;
    private java.util.concurrent.CompletableFuture<?> release;
    private java.util.function.Consumer<String> lineListener;

    AgentJvm withoutAgent() {
        withAgent = false;
        return this;
    }

    AgentJvm agentJar(Path jar) {
        agentJar = jar;
        return this;
    }

    /** Starts the JVM through the layer's exec wrapper, which attaches the agent, as Lambda does. */
    AgentJvm throughWrapper(Path execWrapper) {
        wrapper = execWrapper;
        withAgent = false;
        return this;
    }

    AgentJvm option(String option) {
        jvmOptions.add(option);
        return this;
    }

    AgentJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * When {@code released} completes, a line goes to the program's standard input (the probe's {@code await-release}
     * reads it); {@code onLine} sees each line the program prints, as it prints it.
     */
    AgentJvm release(java.util.concurrent.CompletableFuture<?> released, java.util.function.Consumer<String> onLine) {
        release = released;
        lineListener = onLine;
        return this;
    }

    AgentJvm workingDirectory(Path directory) {
        workingDirectory = directory;
        return this;
    }

    Result run(String mainClass, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (wrapper != null) {
            command.add(wrapper.toAbsolutePath().toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withAgent) {
            command.add("-javaagent:" + agentJar.toAbsolutePath());
            // The JVM skips verifying the JDK's own classes; here it verifies every JDK class the agent weaves.
            command.addAll(VERIFY_JDK_CLASSES);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(programClassPath());
        command.add(mainClass);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("WARDEN_")
                        || name.startsWith("AWS_LAMBDA")
                        || name.equals("JAVA_TOOL_OPTIONS")
                        || name.equals("LAMBDA_TASK_ROOT"));
        builder.environment().putAll(environment);
        Path stderr = Files.createTempFile("warden-jvm", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        byte[] stdout;
        if (release == null) {
            stdout = process.getInputStream().readAllBytes();
        } else {
            release.whenComplete((ignored, failure) -> {
                try (java.io.OutputStream stdin = process.getOutputStream()) {
                    stdin.write('\n');
                } catch (IOException gone) {
                    // the program has ended: nothing to release
                }
            });
            StringBuilder printed = new StringBuilder();
            try (java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    printed.append(line).append('\n');
                    lineListener.accept(line);
                }
            }
            stdout = printed.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("forked JVM did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        return new Result(
                String.join(" ", command), process.exitValue(), new String(stdout, StandardCharsets.UTF_8), errors);
    }

    /**
     * The test's class path without Warden's own unshaded classes: a protected program never has them, and with them
     * the JVM would load the agent from there instead of from the agent jar.
     */
    static String programClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()
                    && !entry.contains("warden-runtime-wrapper-")
                    && !entry.contains("warden-policy-core-")
                    && !entry.endsWith("runtime-wrapper/target/classes")
                    && !entry.endsWith("policy-core/target/classes")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** What the forked JVM printed: its own lines, and Warden's JSON lines. */
    static final class Result {
        final String command;
        final int exitCode;
        final String stdout;
        final String stderr;

        Result(String command, int exitCode, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        List<String> lines() {
            return stdout.isEmpty() ? Collections.emptyList() : List.of(stdout.split("\n"));
        }

        /** Warden's violation lines. */
        List<String> violations() {
            List<String> violations = new ArrayList<>();
            for (String line : lines()) {
                if (line.startsWith("{\"warden\":\"violation\"")) {
                    violations.add(line);
                }
            }
            return violations;
        }

        /** The probe's result for one operation: "OK ..." or "FAILED ...". */
        String result(String operation) {
            String prefix = "RESULT " + operation + " ";
            for (String line : lines()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
            throw new AssertionError("no result for " + operation + " in:\n" + stdout + "\n" + stderr);
        }

        @Override
        public String toString() {
            return command + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
