package io.warden.policy.internal;

import io.warden.policy.Environment;
import io.warden.policy.PathNormalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is always allowed so that the Lambda runtime and the JDK keep working (the exact lists are in docs/policy.md).
 * Paths here are literal: a directory entry covers the directory and everything below it.
 */
public final class Baseline {
    /** Where the Lambda runtime interface client extracts and loads its JNI library. */
    public static final String RUNTIME_CLIENT_JNI_LIBRARY = "/tmp/.libaws-lambda-jni.so";
    /** Layers are unpacked here; their jars are readable wherever they are. */
    public static final String LAYERS_ROOT = "/opt";

    /**
     * Files the JDK reads for randomness, name resolution, time zones and container support. The container files are
     * those jdk.internal.platform.CgroupSubsystemFactory reads (/proc/self/mountinfo, /proc/cgroups, /proc/self/cgroup)
     * when the management code (the platform MBean server, OperatingSystemMXBean) first asks for the container's limits.
     */
    public static final List<String> READ_FILES = List.of(
            "/dev/urandom",
            "/dev/random",
            "/dev/null",
            "/etc/hosts",
            "/etc/resolv.conf",
            "/etc/nsswitch.conf",
            "/etc/host.conf",
            "/etc/gai.conf",
            "/etc/localtime",
            "/proc/self/mountinfo",
            "/proc/cgroups",
            "/proc/self/cgroup",
            "/proc/self/stat",
            "/proc/self/status",
            "/proc/meminfo",
            "/proc/cpuinfo");
    /** Directories readable with everything below them (besides java.home, the task root and the class path). */
    public static final List<String> READ_TREES = List.of(
            "/var/runtime",
            "/var/lang",
            "/opt/java",
            "/etc/pki",
            "/etc/ssl",
            "/etc/ca-certificates",
            "/usr/share/zoneinfo",
            "/sys/fs/cgroup");
    /** Files writable (and so readable). */
    public static final List<String> WRITE_FILES = List.of("/dev/null", RUNTIME_CLIENT_JNI_LIBRARY);
    /** Names whose resolution is always allowed: it cannot carry data out. */
    public static final List<String> RESOLVE_NAMES = List.of("localhost");

    private final Set<String> readFiles = new HashSet<>(READ_FILES);
    private final List<String> readTrees = new ArrayList<>(READ_TREES);
    private final Set<String> writeFiles = new HashSet<>(WRITE_FILES);
    private final List<String> nativeTrees = new ArrayList<>();
    private final NetworkRule runtimeApi;
    private final Set<String> resolveNames = new HashSet<>(RESOLVE_NAMES);
    private final Environment environment;
    /** The JDK's directories (java.home and where its links lead), normalised; null until a path needs them. */
    private volatile List<String> jdkTrees;

    public Baseline(Environment environment) {
        this.environment = environment;
        String userDir = environment.userDir();
        String javaHome = PathNormalizer.normalize(environment.javaHome(), userDir);
        readTrees.add(javaHome);
        nativeTrees.add(javaHome);
        // The function's code and the layers are read-only on Lambda: their libraries load as the JDK's do.
        String taskRoot = PathNormalizer.normalize(environment.taskRoot(), userDir);
        readTrees.add(taskRoot);
        nativeTrees.add(taskRoot);
        nativeTrees.add(LAYERS_ROOT);
        // Lambda's Java runtimes load the runtime client's JNI library from here (-D...NativeClient.JNI).
        String runtimeDir = PathNormalizer.normalize(environment.runtimeDir(), userDir);
        readTrees.add(runtimeDir);
        nativeTrees.add(runtimeDir);
        for (String entry : environment.classPath()) {
            readTrees.add(PathNormalizer.normalize(entry, userDir));
        }
        if (environment.localHostName() != null) {
            resolveNames.add(HostPattern.normalize(environment.localHostName()));
        }
        runtimeApi = runtimeApiRule(environment.runtimeApi());
        if (runtimeApi != null && runtimeApi.host() != null) {
            resolveNames.add(runtimeApi.host().name());
        }
    }

    /** The Runtime API endpoint as a rule, or null when it is not set or not host:port. */
    private static NetworkRule runtimeApiRule(String hostAndPort) {
        if (hostAndPort == null) {
            return null;
        }
        try {
            NetworkRule rule = NetworkRule.parse(hostAndPort);
            boolean exact = rule.host() == null || !rule.host().isWildcard();
            return exact && rule.port() != NetworkRule.ANY_PORT ? rule : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @param path absolute and normalised */
    public boolean allowsRead(String path) {
        return readFiles.contains(path)
                || writeFiles.contains(path)
                || isUnderAny(path, readTrees)
                || isLayerJar(path)
                || isUnderAny(path, jdkTrees());
    }

    /** @param path absolute and normalised */
    public boolean allowsWrite(String path) {
        return writeFiles.contains(path);
    }

    /** @param path absolute and normalised */
    public boolean allowsNative(String path) {
        return path.equals(RUNTIME_CLIENT_JNI_LIBRARY) || isUnderAny(path, nativeTrees) || isUnderAny(path, jdkTrees());
    }

    /** Resolved on the first path outside every other baseline directory: most JVMs never need them. */
    private List<String> jdkTrees() {
        List<String> trees = jdkTrees;
        if (trees == null) {
            List<String> normalized = new ArrayList<>();
            for (String directory : environment.jdkDirectories()) {
                normalized.add(PathNormalizer.normalize(directory, environment.userDir()));
            }
            trees = List.copyOf(normalized);
            jdkTrees = trees;
        }
        return trees;
    }

    /** @param normalizedHost from {@link HostPattern#normalize}, or null */
    public boolean allowsConnect(String normalizedHost, IpAddress address, int port) {
        return runtimeApi != null && runtimeApi.matches(normalizedHost, address, port);
    }

    /** @param normalizedHost from {@link HostPattern#normalize} */
    public boolean allowsResolve(String normalizedHost) {
        return resolveNames.contains(normalizedHost);
    }

    private static boolean isLayerJar(String path) {
        return path.startsWith(LAYERS_ROOT)
                && path.length() > LAYERS_ROOT.length()
                && path.charAt(LAYERS_ROOT.length()) == '/'
                && path.endsWith(".jar");
    }

    private static boolean isUnderAny(String path, List<String> directories) {
        for (String directory : directories) {
            if (isAtOrBelow(path, directory)) {
                return true;
            }
        }
        return false;
    }

    static boolean isAtOrBelow(String path, String directory) {
        if (directory.equals("/")) {
            return true;
        }
        return path.startsWith(directory)
                && (path.length() == directory.length() || path.charAt(directory.length()) == '/');
    }
}
