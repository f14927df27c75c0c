package io.warden.probe;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Arrays;

/**
 * Native libraries and processes as real libraries use them, run under the agent in a forked JVM: prints
 * {@code RESULT <name> OK <detail>} or {@code RESULT <name> FAILED <exception class>: <message>} per operation. The
 * writable place is {@code java.io.tmpdir}; {@code probe.systemLibrary} is a real library that no jar ships;
 * {@code probe.callersJar} and {@code probe.writableJar} are jars that hold it and the class that loads it.
 */
public final class NativeProbe {

    private static final String SQLITE_LIBRARY = "/org/sqlite/native/Linux/x86_64/libsqlitejdbc.so";

    public static void main(String[] operations) {
        for (String operation : operations) {
            String result;
            try {
                result = "OK " + run(operation);
            } catch (Throwable failure) {
                result = "FAILED " + failure.getClass().getName() + ": "
                        + String.valueOf(failure.getMessage()).replace('\n', ' ');
            }
            System.out.println("RESULT " + operation + " " + result);
        }
        System.out.flush();
    }

    private static String run(String operation) throws Throwable {
        Path writable = Path.of(System.getProperty("java.io.tmpdir"));
        switch (operation) {
            // sqlite-jdbc extracts its JNI library from its jar to java.io.tmpdir and System.loads it from there.
            case "sqlite": {
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                        ResultSet row = connection.createStatement().executeQuery("select sqlite_version()")) {
                    row.next();
                    return "sqlite " + row.getString(1);
                }
            }
            // The same bytes, dropped by other code under another name and loaded again: they are the shipped library.
            case "shipped-copy": {
                Path copy = writable.resolve("libcopied-sqlite.so");
                Files.write(copy, sqliteLibrary());
                System.load(copy.toString());
                return "loaded";
            }
            // The shipped library with one byte more: the dynamic loader would take it, it is not what was shipped.
            case "changed-library": {
                byte[] shipped = sqliteLibrary();
                Path changed = writable.resolve("libchanged-sqlite.so");
                Files.write(changed, Arrays.copyOf(shipped, shipped.length + 1));
                System.load(changed.toString());
                return "loaded";
            }
            // A real library that no jar of the function ships, dropped in the writable place.
            case "dropped-library": {
                Path dropped = writable.resolve("libdropped.so");
                Files.copy(Path.of(System.getProperty("probe.systemLibrary")), dropped);
                System.load(dropped.toString());
                return "loaded";
            }
            // The same real library shipped read-only with the function's code ($LAMBDA_TASK_ROOT).
            case "task-root-library": {
                System.load(Path.of(System.getenv("LAMBDA_TASK_ROOT"), "lib", "libshipped.so")
                        .toString());
                return "loaded";
            }
            // A library shipped in the jar of the class that loads it (probe.callersJar, below the task root but deeper
            // than the index of shipped libraries looks), extracted to the writable place by that class.
            case "callers-jar-library":
                return loadFromJar(Path.of(System.getProperty("probe.callersJar")), writable.resolve("libcallers.so"));
            // The same, from a jar that is no code of the function's (in the writable place): not a shipped library.
            case "writable-jar-library":
                return loadFromJar(
                        Path.of(System.getProperty("probe.writableJar")), writable.resolve("libwritable-jar.so"));
            // A name that resolves to no file: the JDK fails it; there is nothing to check.
            case "missing-library": {
                System.loadLibrary("warden-no-such-library");
                return "loaded";
            }
            // aws-crt asks ldd which C library it runs on, and about the java binary.
            case "ldd-version":
                return run(new ProcessBuilder("ldd", "--version"));
            case "ldd-java":
                return run(new ProcessBuilder(
                        "ldd",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            case "ldd-other":
                return run(new ProcessBuilder(
                        "ldd", writable.resolve("libdropped.so").toString()));
            case "ldd-own-environment": {
                ProcessBuilder builder = new ProcessBuilder("ldd", "--version");
                builder.environment()
                        .put("LD_PRELOAD", writable.resolve("libdropped.so").toString());
                return run(builder);
            }
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    /** Extracts the jar's native/libsystem.so to {@code copy} and loads it from the jar's own LibraryLoading class. */
    private static String loadFromJar(Path jar, Path copy) throws Throwable {
        try (URLClassLoader loader =
                        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                InputStream library = loader.getResourceAsStream("native/libsystem.so")) {
            Files.copy(library, copy);
            Class<?> loading = Class.forName(LibraryLoading.class.getName(), true, loader);
            if (loading.getClassLoader() != loader) {
                throw new IllegalStateException("LibraryLoading was not defined from " + jar);
            }
            loading.getMethod("load", String.class).invoke(null, copy.toString());
            return "loaded";
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return "exit " + process.waitFor();
    }

    private static byte[] sqliteLibrary() throws Exception {
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(SQLITE_LIBRARY)) {
            return in.readAllBytes();
        }
    }
}
