package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each hook is verified when its class is woven: at start-up for the classes already loaded, later as each loads. The
 * classes here are handed to the transformer as the JVM would hand them over when it loads them.
 */
@Tag("fast")
class HookSelfCheckTest {

    private static final int FEATURE = Runtime.version().feature();

    /** The reports the check made, one string each: expected/woven/pending, then the newly missing hooks. */
    private final List<String> reports = new ArrayList<>();

    /** The running JDK's runtime image, as the gate reads it: every hooked class of this JDK is in it. */
    private static final HookSelfCheck.RuntimeImage THIS_JDK =
            (module, internalName) -> ClassLoader.getSystemResource(internalName + ".class") != null;

    private final HookSelfCheck.Report recorder = (expected, woven, pending, missing, newlyMissing) ->
            reports.add(expected + "/" + woven + "/" + pending + " missing " + missing + " new " + newlyMissing);

    @Test
    void beforeAnyHookedClassLoadsEveryExpectedHookIsPendingAndNoneMissing() {
        HookTransformer nothingLoaded = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        List<Hook> expected = HookSelfCheck.expectedInThisImage(FEATURE);

        HookSelfCheck.Result result = HookSelfCheck.check(
                nothingLoaded, expected, HookSelfCheck.notInImage(nothingLoaded, expected, THIS_JDK));

        assertThat(expected).hasSize(ExpectedHooks.forJdk(FEATURE).size());
        assertThat(result.expected).isEqualTo(expected.size());
        assertThat(result.woven).isZero();
        assertThat(result.pending).isEqualTo(expected.size());
        assertThat(result.missing).isEmpty();
    }

    /** A JDK update that changed a hooked method: the class loads without the hook, and that is reported at once. */
    @Test
    void aHookThatDoesNotWeaveWhenItsClassLoadsIsReportedThenAndOnlyOnce() throws IOException {
        HookTransformer transformer = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        HookSelfCheck.start(transformer, FEATURE, recorder).lookUpPendingClasses(THIS_JDK);
        assertThat(reports).singleElement().asString().contains("missing [] new []");

        // ProcessImpl as a JDK whose class no longer declares start(...): here, Object's class file under its name.
        load(transformer, "java/lang/ProcessImpl", classFile("java/lang/Object"));

        assertThat(reports).hasSize(2);
        assertThat(reports.get(1))
                .contains("missing [PROCESS_START (java.lang.ProcessImpl.start)]")
                .endsWith("new [PROCESS_START (java.lang.ProcessImpl.start)]");

        load(transformer, "java/lang/ProcessImpl", classFile("java/lang/Object")); // retransformed: said once
        assertThat(reports).hasSize(2);
    }

    @Test
    void aClassThatWeavesMovesItsHooksFromPendingToWovenWithoutAReport() throws IOException {
        HookTransformer transformer = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        HookSelfCheck.start(transformer, FEATURE, recorder).lookUpPendingClasses(THIS_JDK);
        List<Hook> expected = HookSelfCheck.expectedInThisImage(FEATURE);

        load(transformer, "java/io/FileInputStream", classFile("java/io/FileInputStream"));

        HookSelfCheck.Result result = HookSelfCheck.check(transformer, expected, Set.of());
        assertThat(result.woven).isEqualTo(1);
        assertThat(result.pending).isEqualTo(expected.size() - 1);
        assertThat(result.missing).isEmpty();
        assertThat(reports).hasSize(1); // the start-up report only
    }

    /**
     * A JDK update that renamed or removed a hooked class: no class of that name will ever load, and the operation goes
     * through another; the image lookup at start-up finds it missing, without loading anything.
     */
    @Test
    void aHookedClassTheJdkDoesNotHoldIsReportedWhenLookedUp() {
        HookTransformer transformer = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        HookSelfCheck.RuntimeImage withoutProcessImpl = (module, internalName) ->
                !internalName.equals("java/lang/ProcessImpl") && THIS_JDK.hasClass(module, internalName);

        HookSelfCheck.start(transformer, FEATURE, recorder).lookUpPendingClasses(withoutProcessImpl);

        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).endsWith("missing [] new []");
        assertThat(reports.get(1)).endsWith("new [PROCESS_START (java.lang.ProcessImpl.start)]");
    }

    /** An image that cannot be read (an exploded JDK build) leaves the hooks pending, checked when their class loads. */
    @Test
    void anImageThatCannotBeReadLeavesTheHooksPending() {
        HookTransformer transformer = new HookTransformer(List.of(Hook.values()), new FutureTask<>(() -> null));
        List<Hook> expected = HookSelfCheck.expectedInThisImage(FEATURE);

        HookSelfCheck.start(transformer, FEATURE, recorder).lookUpPendingClasses((module, internalName) -> {
            throw new IllegalStateException("no runtime image");
        });

        assertThat(reports).containsExactly(expected.size() + "/0/" + expected.size() + " missing [] new []");
    }

    /** Once no expected hook is pending, that is said once: every hooked class has loaded and been verified. */
    @Test
    void whenTheLastHookedClassHasLoadedTheCheckSaysAllAreVerified() throws IOException {
        List<Hook> expected = HookSelfCheck.expectedInThisImage(FEATURE);
        HookTransformer transformer = new HookTransformer(expected, new FutureTask<>(() -> null));
        HookSelfCheck.start(transformer, FEATURE, recorder).lookUpPendingClasses(THIS_JDK);

        List<String> owners = new ArrayList<>();
        for (Hook hook : expected) {
            if (!owners.contains(hook.owner)) {
                owners.add(hook.owner);
                load(transformer, hook.owner, classFile(hook.owner));
            }
        }

        assertThat(reports).hasSize(2);
        assertThat(reports.get(1)).isEqualTo(expected.size() + "/" + expected.size() + "/0 missing [] new []");
    }

    private static void load(HookTransformer transformer, String className, byte[] classFile) {
        transformer.transform(null, null, className, null, null, classFile);
    }

    private static byte[] classFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            assertThat(in).as(internalName).isNotNull();
            return in.readAllBytes();
        }
    }
}
