package io.warden.agent.core.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * After start-up: loads (without initialising) every JDK class an expected hook weaves, so that the transformer weaves
 * it now rather than when the function first uses it, and names the expected hooks that did not weave. The hooks of
 * {@code java.naming} and {@code jdk.management} are not expected in a runtime image built without that module: there
 * is nothing to hook, and nothing the function could call. Any other class that cannot be found is a missing hook: a
 * JDK that renamed it.
 */
public final class HookSelfCheck {

    /** What the check found. */
    public static final class Result {
        public final int expected;
        public final int woven;
        /** Expected hooks that are not woven, as {@code NAME (owner.method)}. */
        public final List<String> missing;

        Result(int expected, int woven, List<String> missing) {
            this.expected = expected;
            this.woven = woven;
            this.missing = missing;
        }
    }

    private HookSelfCheck() {}

    public static Result run(HookTransformer transformer, int feature) {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        List<Hook> expected = new ArrayList<>();
        for (Hook hook : ExpectedHooks.forJdk(feature)) {
            String module = optionalModule(hook.owner);
            if (module != null && ModuleLayer.boot().findModule(module).isEmpty()) {
                continue;
            }
            expected.add(hook);
            try {
                Class.forName(ExpectedHooks.ownerClassName(hook), false, platform);
            } catch (ClassNotFoundException | LinkageError renamed) {
                // Reported below as missing.
            }
        }
        Set<Hook> installed = transformer.installedHooks();
        List<String> missing = new ArrayList<>();
        int woven = 0;
        for (Hook hook : expected) {
            if (installed.contains(hook)) {
                woven++;
            } else {
                missing.add(hook.name() + " (" + ExpectedHooks.ownerClassName(hook) + "." + hook.method + ")");
            }
        }
        return new Result(expected.size(), woven, missing);
    }

    /** The module of a hooked class that a runtime image may leave out; null for java.base. */
    private static String optionalModule(String owner) {
        if (owner.startsWith("javax/naming/")) {
            return "java.naming";
        }
        if (owner.startsWith("com/sun/management/")) {
            return "jdk.management";
        }
        return null;
    }
}
