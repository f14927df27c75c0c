package io.warden.surface;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The class files of a JDK's run-time image, read through its {@code jrt:/} file system: the running JDK's, or another
 * installed JDK's (the JDK's own {@code jrt-fs.jar} reads it, so a JDK 17 can read a JDK 25 image and back).
 */
public final class JdkImage implements Closeable {

    private final Path javaHome;
    private final FileSystem jrt;
    private final boolean own;
    private final String version;

    private JdkImage(Path javaHome, FileSystem jrt, boolean own) throws IOException {
        this.javaHome = javaHome;
        this.jrt = jrt;
        this.own = own;
        this.version = readVersion(javaHome);
    }

    /** The image of the JDK this JVM runs on. */
    public static JdkImage running() throws IOException {
        return new JdkImage(
                Path.of(System.getProperty("java.home")), FileSystems.getFileSystem(URI.create("jrt:/")), false);
    }

    /** The image of the JDK installed at {@code javaHome}. */
    public static JdkImage of(Path javaHome) throws IOException {
        if (javaHome.toRealPath()
                .equals(Path.of(System.getProperty("java.home")).toRealPath())) {
            return running();
        }
        return new JdkImage(
                javaHome,
                FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", javaHome.toString())),
                true);
    }

    /** {@code JAVA_VERSION} of the image's {@code release} file, e.g. {@code 17.0.15}. */
    public String version() {
        return version;
    }

    /** The feature release, e.g. 17. */
    public int feature() {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    public Path javaHome() {
        return javaHome;
    }

    /** Every module of the image with its descriptor, by name. */
    public Map<String, ModuleDescriptor> modules() throws IOException {
        Map<String, ModuleDescriptor> modules = new TreeMap<>();
        try (Stream<Path> entries = Files.list(jrt.getPath("/modules"))) {
            for (Path module : (Iterable<Path>) entries::iterator) {
                try (InputStream in = Files.newInputStream(module.resolve("module-info.class"))) {
                    ModuleDescriptor descriptor = ModuleDescriptor.read(in);
                    modules.put(descriptor.name(), descriptor);
                }
            }
        }
        return modules;
    }

    /** Every class file of one module, module-info excepted, in a stable order. */
    public List<Path> classFiles(String module) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(jrt.getPath("/modules", module))) {
            walk.filter(path -> path.toString().endsWith(".class")
                            && !path.getFileName().toString().equals("module-info.class"))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** The bytes of a class by internal name, from whichever module holds its package, or null when none does. */
    public byte[] classBytes(String internalName) throws IOException {
        int slash = internalName.lastIndexOf('/');
        Path modules = jrt.getPath(
                "/packages", internalName.substring(0, Math.max(slash, 0)).replace('/', '.'));
        if (slash < 0 || !Files.isDirectory(modules)) {
            return null;
        }
        try (Stream<Path> holders = Files.list(modules)) {
            for (Path module : (Iterable<Path>) holders::iterator) {
                Path file = jrt.getPath("/modules", module.getFileName().toString(), internalName + ".class");
                if (Files.exists(file)) {
                    return Files.readAllBytes(file);
                }
            }
        }
        return null;
    }

    private static String readVersion(Path javaHome) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length())
                        .replace("\"", "")
                        .trim();
            }
        }
        throw new IOException(javaHome + "/release names no JAVA_VERSION");
    }

    @Override
    public void close() throws IOException {
        if (own) {
            jrt.close();
        }
    }
}
