package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.agent.core.hooks.fixtures.TrickyMethods;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("fast")
class GateCallPatcherTest {

    /** The hooks this JDK must have woven: those of its classes (the handler's and other JDKs' are not here). */
    static List<Hook> hooksOfThisJdk() {
        return ExpectedHooks.forJdk(Runtime.version().feature());
    }

    /** Every hook this JDK expects is woven into its class, and the class still parses with its frames. */
    @ParameterizedTest
    @MethodSource("hooksOfThisJdk")
    void weavesEveryHookIntoTheJdksOwnClass(Hook hook) throws Exception {
        byte[] original = jdkClassFile(hook.owner);
        assertThat(original).as("the class file of %s", hook.owner).isNotNull();
        GateCallPatcher.Patched patched = GateCallPatcher.patch(original, List.of(hook));

        assertThat(patched).as("%s declares %s", hook.owner, hook.method).isNotNull();
        assertThat(patched.hooks).containsExactly(hook);
        assertThat(new String(patched.classFile, StandardCharsets.ISO_8859_1)).contains("java/lang/WardenGate");
        assertThat(patched.classFile.length).isGreaterThan(original.length);
    }

    /** The JVM's verifier accepts the woven methods: frames, offsets, switch padding and stack size are right. */
    @ParameterizedTest
    @EnumSource(
            value = Hook.class,
            names = {"FILE_DELETE", "FILE_LIST", "FILE_INPUT_OPEN"})
    void wovenCodePassesTheVerifier(Hook hook) throws Exception {
        GateCallPatcher.Patched patched = GateCallPatcher.patch(trickyMethods(), List.of(hook));

        assertThat(patched.hooks).containsExactly(hook);
        Class<?> loaded = new FixtureLoader(patched.classFile).load();
        assertThat(loaded.getDeclaredConstructor().newInstance()).isNotNull(); // linked, so verified
    }

    @Test
    void allHooksOfAClassAtOnce() throws Exception {
        GateCallPatcher.Patched patched =
                GateCallPatcher.patch(trickyMethods(), List.of(Hook.FILE_DELETE, Hook.FILE_LIST, Hook.FILE_INPUT_OPEN));

        assertThat(patched.hooks).containsExactlyInAnyOrder(Hook.FILE_DELETE, Hook.FILE_LIST, Hook.FILE_INPUT_OPEN);
        assertThat(new FixtureLoader(patched.classFile)
                        .load()
                        .getDeclaredConstructor()
                        .newInstance())
                .isNotNull();
    }

    @Test
    void aClassWithoutTheHookedMethodIsNotChanged() throws Exception {
        assertThat(GateCallPatcher.patch(trickyMethods(), List.of(Hook.NIO_OPEN)))
                .isNull();
    }

    @Test
    void codeWithTypeAnnotationsIsLeftAsItIs() {
        assertThatThrownBy(() -> GateCallPatcher.patch(trickyMethods(), List.of(Hook.FILE_MKDIR)))
                .isInstanceOf(GateCallPatcher.UnsupportedClassFile.class)
                .hasMessageContaining("RuntimeVisibleTypeAnnotations");
    }

    @Test
    void garbageIsRefusedNotMisread() {
        assertThatThrownBy(() ->
                        GateCallPatcher.patch(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, List.of(Hook.FILE_DELETE)))
                .isInstanceOf(GateCallPatcher.UnsupportedClassFile.class)
                .hasMessage("not a class file");
        byte[] truncated = java.util.Arrays.copyOf(trickyMethods(), 200);
        assertThatThrownBy(() -> GateCallPatcher.patch(truncated, List.of(Hook.FILE_DELETE)))
                .isInstanceOf(GateCallPatcher.UnsupportedClassFile.class);
    }

    private static byte[] trickyMethods() {
        try {
            return classFile(TrickyMethods.class, "TrickyMethods.class");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A class file of the JDK, from whichever of its modules holds it (a .class resource is never encapsulated). */
    private static byte[] jdkClassFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static byte[] classFile(Class<?> anchor, String resource) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Defines the woven fixture in a loader of its own, where the JVM verifies it. */
    private static final class FixtureLoader extends ClassLoader {
        private final byte[] classFile;

        FixtureLoader(byte[] classFile) {
            super(FixtureLoader.class.getClassLoader());
            this.classFile = classFile;
        }

        Class<?> load() throws ClassNotFoundException {
            return Class.forName(TrickyMethods.class.getName(), true, this);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(TrickyMethods.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineClass(name, classFile, 0, classFile.length);
            }
        }
    }
}
