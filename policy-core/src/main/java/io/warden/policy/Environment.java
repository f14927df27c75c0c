package io.warden.policy;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the built-in baseline depends on: the process environment, the JDK's home, the working directory and class path. */
public final class Environment {
    /** Where Lambda puts the function's code when {@code LAMBDA_TASK_ROOT} is not set. */
    public static final String DEFAULT_TASK_ROOT = "/var/task";

    private final Map<String, String> env;
    private final String javaHome;
    private final String userDir;
    private final List<String> classPath;

    public Environment(Map<String, String> env, String javaHome, String userDir, List<String> classPath) {
        this.env = Map.copyOf(env);
        this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
        this.userDir = Objects.requireNonNull(userDir, "userDir");
        this.classPath = List.copyOf(classPath);
    }

    /** {@code System.getenv()}, {@code java.home}, {@code user.dir} and {@code java.class.path} of this JVM. */
    public static Environment current() {
        String classPath = System.getProperty("java.class.path", "");
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return new Environment(System.getenv(), System.getProperty("java.home", ""), System.getProperty("user.dir", "/"),
                entries);
    }

    /** The value of an environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }

    public String javaHome() {
        return javaHome;
    }

    public String userDir() {
        return userDir;
    }

    public List<String> classPath() {
        return classPath;
    }

    /** {@code $LAMBDA_TASK_ROOT}, or {@value #DEFAULT_TASK_ROOT} when it is not set. */
    public String taskRoot() {
        String taskRoot = env.get("LAMBDA_TASK_ROOT");
        return taskRoot == null || taskRoot.isEmpty() ? DEFAULT_TASK_ROOT : taskRoot;
    }

    /** {@code $AWS_LAMBDA_RUNTIME_API} (host:port), or null. */
    public String runtimeApi() {
        String api = env.get("AWS_LAMBDA_RUNTIME_API");
        return api == null || api.isEmpty() ? null : api;
    }
}
