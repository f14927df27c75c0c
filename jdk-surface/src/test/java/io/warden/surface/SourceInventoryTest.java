package io.warden.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The natives read from a JDK's sources (how {@code inventory/jdk21.txt} is made: no JDK 21 image is at hand) against
 * those read from its image, on JDK 25, which has both; and the resolution rules on sources of this test's own.
 */
class SourceInventoryTest {

    private static final Path JDK25 = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    @Test
    void theNativesOfJdk25sSourcesAreExactlyThoseOfItsImage() throws Exception {
        Path sources = JDK25.resolve("lib/src.zip");
        if (System.getenv("CI") == null) {
            assumeTrue(Files.isRegularFile(sources), "no JDK 25 with its sources at " + JDK25);
        }
        assertThat(sources).as("JDK 25's sources").isRegularFile();
        // Parsed by JDK 25's own javac: an older one cannot read the newer language.
        Process process = new ProcessBuilder(
                        JDK25.resolve("bin/java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "sources",
                        sources.toString(),
                        "JDK 25 from its sources")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> fromSources;
        try (var out = process.getInputStream()) {
            fromSources = new String(out.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> line.startsWith("native "))
                    .toList();
        }
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();

        List<String> fromImage = Inventory.checkedIn(25).stream()
                .filter(line -> line.startsWith("native "))
                .toList();
        assertThat(fromImage).hasSizeGreaterThan(1000);
        assertThat(fromSources).containsExactlyElementsOf(fromImage);
    }

    @Test
    void typesResolveAsJavacResolvesThem(@TempDir Path root) throws IOException {
        write(root, "m/p/Outer.java", """
                package p;
                import q.Imported;
                import q.Holder.*;
                public class Outer<T extends CharSequence> implements q.Api {
                    static class Inner {}
                    native void members(Inner inner, Outer.Inner qualified, Imported imported, Member member);
                    native T variable(T value, java.util.List<String> erased, String[] array, int... varargs);
                    native Sibling samePackage(Inherited inherited);
                }
                """);
        write(root, "m/p/Sibling.java", "package p; public class Sibling {}");
        write(root, "m/q/Imported.java", "package q; public class Imported {}");
        write(root, "m/q/Holder.java", "package q; public class Holder { public static class Member {} }");
        write(root, "m/q/Api.java", "package q; public interface Api { class Inherited {} }");
        write(root, "m/java/lang/String.java", "package java.lang; public final class String {}");
        write(root, "m/java/lang/CharSequence.java", "package java.lang; public interface CharSequence {}");
        write(root, "m/java/util/List.java", "package java.util; public interface List<E> {}");

        assertThat(SourceInventory.natives(root).stream().map(NativeMethod::key))
                .containsExactly(
                        "p.Outer#members(Lp/Outer$Inner;Lp/Outer$Inner;Lq/Imported;Lq/Holder$Member;)V",
                        "p.Outer#samePackage(Lq/Api$Inherited;)Lp/Sibling;",
                        "p.Outer#variable(Ljava/lang/CharSequence;Ljava/util/List;[Ljava/lang/String;[I)"
                                + "Ljava/lang/CharSequence;");
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
