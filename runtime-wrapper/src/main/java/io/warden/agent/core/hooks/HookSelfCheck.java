package io.warden.agent.core.hooks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies every hook expected on this JDK as its class is woven, without loading any class for it: the hooked classes
 * the JVM loaded before the agent when the agent starts (they are retransformed then), every other one when the JVM
 * loads it, before any of its code runs. A class that has not loaded yet runs no code, so its hooks cannot be missing in
 * effect; it is counted as pending, once the JDK's runtime image is seen to hold it (a class a JDK renamed or removed
 * would never load, and its operations would go through another). An expected hook that did not weave into its class
 * (a JDK update changed the method), or whose class the image does not hold, is reported at once and once: named in
 * the status line's {@code missing} field, in an error line and an {@code AgentFailed} metric ({@link Report}). The
 * hooks of {@code java.naming} and {@code jdk.management} are not expected in a runtime image built without that
 * module: there is nothing to hook, and nothing the function could call.
 */
public final class HookSelfCheck implements HookTransformer.Listener {

    /** The JDK's runtime image, asked whether it holds a class without loading it. */
    public interface RuntimeImage {
        /** @throws RuntimeException or LinkageError when it cannot tell */
        boolean hasClass(String module, String internalName);
    }

    /** Where the check's findings go: the agent's reporter. */
    public interface Report {
        /**
         * @param missing every expected hook found not woven so far, as {@code NAME (owner.method)}
         * @param newlyMissing those of them not reported before
         */
        void hooksChecked(int expected, int woven, int pending, List<String> missing, List<String> newlyMissing);
    }

    /** What the check found. */
    public static final class Result {
        public final int expected;
        public final int woven;
        /** Expected hooks whose class the JVM has not loaded yet: each is verified when it does. */
        public final int pending;
        /** Expected hooks whose class was woven without them or is not in the JDK, as {@code NAME (owner.method)}. */
        public final List<String> missing;

        Result(int expected, int woven, int pending, List<String> missing) {
            this.expected = expected;
            this.woven = woven;
            this.pending = pending;
            this.missing = missing;
        }
    }

    private static final String JAVA_BASE = "java.base";

    private final HookTransformer transformer;
    private final List<Hook> expected;
    private final Report report;
    /** Guarded by this: hooked classes (internal names) the runtime image does not hold, which will never load. */
    private final Set<String> notInImage = new HashSet<>();
    /** Guarded by this: the missing hooks reported so far, and what has been said. */
    private final Set<String> reported = new HashSet<>();

    private boolean started;
    private boolean startReported;
    private boolean completeReported;

    private HookSelfCheck(HookTransformer transformer, List<Hook> expected, Report report) {
        this.transformer = transformer;
        this.expected = expected;
        this.report = report;
    }

    /**
     * Reports the hooks of the classes woven so far (one status line, always), and from now on those of every hooked
     * class the JVM loads, as it loads it: a line when a hook did not weave, and one when no expected hook is pending
     * any more. Then {@link #lookUpPendingClasses} tells pending classes from classes this JDK does not have.
     */
    public static HookSelfCheck start(HookTransformer transformer, int feature, Report report) {
        HookSelfCheck check = new HookSelfCheck(transformer, expectedInThisImage(feature), report);
        transformer.listen(check);
        synchronized (check) {
            check.started = true;
        }
        check.classHandled();
        return check;
    }

    /**
     * Looks up the classes of the pending hooks in the JDK's runtime image (loading none): one it does not hold was
     * renamed or removed by the JDK, and its hooks are reported missing now. A class the image cannot tell about stays
     * pending (an exploded JDK build has no image); it is checked when it loads, if it ever does.
     */
    public void lookUpPendingClasses(RuntimeImage image) {
        Set<String> absent = notInImage(transformer, expected, image);
        if (!absent.isEmpty()) {
            synchronized (this) {
                notInImage.addAll(absent);
            }
            classHandled();
        }
    }

    /** Called by the transformer after each hooked class: a hook it did not weave is reported now. */
    @Override
    public void classHandled() {
        Result result;
        List<String> newlyMissing = new ArrayList<>();
        synchronized (this) {
            if (!started) {
                return; // the start-up report covers it
            }
            result = check(transformer, expected, notInImage);
            for (String hook : result.missing) {
                if (reported.add(hook)) {
                    newlyMissing.add(hook);
                }
            }
            boolean complete = result.pending == 0 && !completeReported;
            if (startReported && !complete && newlyMissing.isEmpty()) {
                return;
            }
            startReported = true;
            completeReported |= complete;
        }
        // Outside the lock: writing the report must never wait on a class another thread is loading.
        report.hooksChecked(result.expected, result.woven, result.pending, result.missing, newlyMissing);
    }

    /** The classes of expected hooks not handled yet that the runtime image does not hold. */
    static Set<String> notInImage(HookTransformer transformer, List<Hook> expected, RuntimeImage image) {
        Set<String> absent = new HashSet<>();
        Set<String> asked = new HashSet<>();
        for (Hook hook : expected) {
            if (asked.add(hook.owner) && !transformer.handled(hook.owner)) {
                try {
                    if (!image.hasClass(moduleOf(hook.owner), hook.owner)) {
                        absent.add(hook.owner);
                    }
                } catch (RuntimeException | LinkageError cannotTell) {
                    // Stays pending.
                }
            }
        }
        return absent;
    }

    /** The hooks expected on this JDK, against what the transformer has handled so far and what the image holds. */
    static Result check(HookTransformer transformer, List<Hook> expected, Set<String> notInImage) {
        Set<Hook> installed = transformer.installedHooks();
        List<String> missing = new ArrayList<>();
        int woven = 0;
        int pending = 0;
        for (Hook hook : expected) {
            if (installed.contains(hook)) {
                woven++;
            } else if (transformer.handled(hook.owner) || notInImage.contains(hook.owner)) {
                missing.add(hook.name() + " (" + ExpectedHooks.ownerClassName(hook) + "." + hook.method + ")");
            } else {
                pending++;
            }
        }
        return new Result(expected.size(), woven, pending, missing);
    }

    /** The hooks expected on the JDK of this feature release, less those of modules this runtime image leaves out. */
    static List<Hook> expectedInThisImage(int feature) {
        List<Hook> expected = new ArrayList<>();
        for (Hook hook : ExpectedHooks.forJdk(feature)) {
            String module = moduleOf(hook.owner);
            if (module.equals(JAVA_BASE)
                    || ModuleLayer.boot().findModule(module).isPresent()) {
                expected.add(hook);
            }
        }
        return expected;
    }

    /** The module of a hooked class: java.base, or one that a runtime image may leave out. */
    static String moduleOf(String owner) {
        if (owner.startsWith("javax/naming/")) {
            return "java.naming";
        }
        if (owner.startsWith("com/sun/management/")) {
            return "jdk.management";
        }
        return JAVA_BASE;
    }
}
