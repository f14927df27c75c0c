package io.warden.invoke;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The Lambda runtime interface client that the build copied into {@value #DIR_NAME}/ beside warden.jar, the local
 * counterpart of {@code /var/runtime} on Lambda: its jars in {@code lib/} (the function JVM's whole class path) and
 * its JNI libraries in {@code lib/jni/} (loaded through {@value #JNI_PROPERTY}, so parallel JVMs never extract one
 * to the shared path {@code /tmp/.libaws-lambda-jni.so}).
 */
public record RuntimeClient(Path directory, List<Path> classpath, Path jniLibrary) {

    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    static final String DIR_NAME = "lambda-runtime";
    static final String BUILT_LAYER = "warden-layer.zip";

    /** The {@value #DIR_NAME} directory beside the jar (or classes directory) this class was loaded from. */
    public static Path installedDirectory() {
        try {
            Path codeSource = Path.of(RuntimeClient.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return codeSource.toAbsolutePath().getParent().resolve(DIR_NAME);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot tell where warden was loaded from", e);
        }
    }

    /** The layer zip the build placed in {@value #DIR_NAME}/, attached unless another layer is named. */
    public static Path builtLayer() {
        return installedDirectory().resolve(BUILT_LAYER);
    }

    public static RuntimeClient installed() throws InvokeException {
        return in(installedDirectory());
    }

    static RuntimeClient in(Path directory) throws InvokeException {
        Path lib = directory.resolve("lib");
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvokeException(
                    "The Lambda runtime client is missing from " + lib
                            + "; build Warden first (mvn -B -DskipTests package)",
                    e);
        }
        if (jars.stream()
                .noneMatch(
                        jar -> jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
            throw new InvokeException("No aws-lambda-java-runtime-interface-client jar in " + lib);
        }
        Path jni = lib.resolve("jni").resolve(jniLibraryName());
        if (!Files.isRegularFile(jni)) {
            throw new InvokeException("The runtime client's native library is missing: " + jni);
        }
        return new RuntimeClient(directory, jars, jni);
    }

    /** The client ships one library per C library and CPU, named as its own loader names them. */
    static String jniLibraryName() throws InvokeException {
        String os = System.getProperty("os.name");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new InvokeException("warden invoke runs functions on Linux, as Lambda does; this system is " + os);
        }
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default ->
                throw new InvokeException("Lambda runs x86_64 and arm64; this CPU is " + System.getProperty("os.arch"));
        };
        return "libaws-lambda-jni.linux" + (usesMusl() ? "_musl-" : "-") + arch + ".so";
    }

    private static boolean usesMusl() {
        try (Stream<Path> loaders = Files.list(Path.of("/lib"))) {
            return loaders.anyMatch(file -> file.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            return false;
        }
    }
}
