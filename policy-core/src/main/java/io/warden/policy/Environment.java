package io.warden.policy;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the built-in baseline depends on: the process environment, the JDK's home, the working directory and class path. */
public final class Environment {
    /** Where Lambda puts the function's code when {@code LAMBDA_TASK_ROOT} is not set. */
    public static final String DEFAULT_TASK_ROOT = "/var/task";
    /** Where Lambda keeps its runtime (the runtime client's jars and JNI library) when {@code LAMBDA_RUNTIME_DIR} is not set. */
    public static final String DEFAULT_RUNTIME_DIR = "/var/runtime";
    /** Where Linux publishes the host name. */
    private static final String KERNEL_HOST_NAME = "/proc/sys/kernel/hostname";
    /** Below java.home: the directories whose real location may lie outside it. */
    private static final List<String> JDK_CONFIGURATION_DIRECTORIES =
            List.of("conf", "conf/security", "lib", "lib/security");

    private final Map<String, String> env;
    private final String javaHome;
    private final String userDir;
    private final List<String> classPath;
    /** Null until first asked for when resolved from this JVM's own java.home (see {@link #jdkDirectories()}). */
    private volatile List<String> jdkDirectories;

    private final String localHostName;

    public Environment(Map<String, String> env, String javaHome, String userDir, List<String> classPath) {
        this(env, javaHome, userDir, classPath, List.of(javaHome), null);
    }

    /**
     * @param jdkDirectories java.home and where its configuration really lives (distributions link {@code conf} and
     *     {@code lib/security} elsewhere, for example to /etc/java-17-openjdk); null to resolve them from java.home when
     *     first needed
     */
    public Environment(
            Map<String, String> env,
            String javaHome,
            String userDir,
            List<String> classPath,
            List<String> jdkDirectories,
            String localHostName) {
        this.env = Map.copyOf(env);
        this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
        this.userDir = Objects.requireNonNull(userDir, "userDir");
        this.classPath = List.copyOf(classPath);
        this.jdkDirectories = jdkDirectories == null ? null : List.copyOf(jdkDirectories);
        this.localHostName = localHostName;
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
        String javaHome = System.getProperty("java.home", "");
        return new Environment(
                System.getenv(), javaHome, System.getProperty("user.dir", "/"), entries, null, readLocalHostName());
    }

    /**
     * java.home plus the real location of the directories the JDK reads its configuration from, and of the files in
     * them: distributions link them elsewhere (Debian links each file of conf to /etc/java-17-openjdk).
     */
    private static List<String> jdkDirectories(String javaHome) {
        List<String> directories = new ArrayList<>();
        directories.add(javaHome);
        for (String relative : JDK_CONFIGURATION_DIRECTORIES) {
            File directory = canonical(new File(javaHome, relative));
            String[] names = directory == null ? null : directory.list();
            if (names == null) {
                continue; // not every JDK has every directory
            }
            addOnce(directories, directory.getPath());
            for (String name : names) {
                // An entry whose real location lies elsewhere is a link: its real directory is the JDK's too.
                File real = canonical(new File(directory, name));
                if (real != null && !directory.getPath().equals(real.getParent())) {
                    addOnce(directories, real.getParent());
                }
            }
        }
        return directories;
    }

    /** The real location (links resolved), or null. java.io rather than NIO: fewer classes to load at start-up. */
    private static File canonical(File file) {
        try {
            return file.getCanonicalFile();
        } catch (IOException | RuntimeException unresolvable) {
            return null;
        }
    }

    private static void addOnce(List<String> directories, String directory) {
        if (!directories.contains(directory)) {
            directories.add(directory);
        }
    }

    /**
     * This machine's own host name, which {@code InetAddress.getLocalHost()} resolves (logging frameworks do, for their
     * host name field); null where the kernel does not say.
     */
    private static String readLocalHostName() {
        try {
            try (FileInputStream in = new FileInputStream(KERNEL_HOST_NAME)) {
                String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                return name.isEmpty() ? null : name;
            }
        } catch (IOException | RuntimeException unavailable) {
            return null;
        }
    }

    /** This machine's own host name (read from the kernel at start-up), or null when unknown. */
    public String localHostName() {
        return localHostName;
    }

    /**
     * java.home and where its configuration really lives (distributions link {@code conf} and {@code lib/security}
     * elsewhere). For this JVM's own java.home the links are resolved when first asked for, not at start-up: resolving
     * them reads every file name in four directories, and only a path outside everything else allowed needs them.
     */
    public List<String> jdkDirectories() {
        List<String> directories = jdkDirectories;
        if (directories == null) {
            directories = List.copyOf(jdkDirectories(javaHome));
            jdkDirectories = directories;
        }
        return directories;
    }

    /** This environment with one more class path entry (the agent's own jar, which -javaagent adds at run time). */
    public Environment withClassPathEntry(String entry) {
        List<String> entries = new ArrayList<>(classPath);
        entries.add(entry);
        return new Environment(env, javaHome, userDir, entries, jdkDirectories, localHostName);
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

    /** {@code $LAMBDA_RUNTIME_DIR}, or {@value #DEFAULT_RUNTIME_DIR} when it is not set. */
    public String runtimeDir() {
        String runtimeDir = env.get("LAMBDA_RUNTIME_DIR");
        return runtimeDir == null || runtimeDir.isEmpty() ? DEFAULT_RUNTIME_DIR : runtimeDir;
    }

    /** {@code $AWS_LAMBDA_RUNTIME_API} (host:port), or null. */
    public String runtimeApi() {
        String api = env.get("AWS_LAMBDA_RUNTIME_API");
        return api == null || api.isEmpty() ? null : api;
    }
}
