package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.warden.surface.Classification;
import io.warden.surface.Inventory;
import io.warden.surface.JdkImage;
import io.warden.surface.NativeMethod;
import io.warden.surface.SurfaceCheck;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK this test runs on (17, and 25 in the jdk25 profile) against the reviewed classification of its native
 * surface: the inventory read from its image is the one checked in, every native of every inventoried JDK is
 * classified, public API reaches no hooked native around its hook, and every hook the classification names weaves into
 * this JDK's class and is one the agent's self-check expects at start-up ({@link ExpectedHooks}; IntegrityIT runs that
 * check on this JDK).
 */
class NativeSurfaceIT {

    /** The JDK feature releases with a checked-in inventory (21: read from its sources); every one must be classified. */
    private static final List<Integer> INVENTORIED = List.of(17, 21, 25);

    private static final Path THREAT_MODEL = Path.of("../docs/threat-model.md");

    private static JdkImage image;
    private static Inventory inventory;
    private static Classification classification;

    @BeforeAll
    static void readTheRunningJdk() throws IOException {
        image = JdkImage.running();
        inventory = Inventory.of(image);
        classification = Classification.bundled();
    }

    @Test
    void theInventoryOfThisJdkIsTheCheckedInOne() throws IOException {
        List<String> checkedIn = Inventory.checkedIn(image.feature());
        assertThat(checkedIn)
                .as("no inventory is checked in for JDK %d", image.feature())
                .isNotNull();

        Set<String> added = new TreeSet<>(inventory.lines());
        added.removeAll(checkedIn);
        Set<String> removed = new TreeSet<>(checkedIn);
        removed.removeAll(inventory.lines());
        assertThat(String.join("\n", added) + String.join("\n", removed))
                .as(
                        "JDK %s's native surface differs from inventory/jdk%d.txt (+ new in this JDK: %s; - gone: %s)."
                                + " Classify what is new, then regenerate the inventory as jdk-surface/README.md says",
                        image.version(), image.feature(), added, removed)
                .isEmpty();
    }

    @Test
    void everyNativeOfEveryInventoriedJdkIsClassifiedAndEveryLineOfTheClassificationIsUsed() throws IOException {
        List<NativeMethod> all = new ArrayList<>();
        List<String> unclassified = new ArrayList<>();
        for (int feature : INVENTORIED) {
            List<String> lines = Inventory.checkedIn(feature);
            assertThat(lines).as("inventory/jdk%d.txt", feature).isNotNull();
            for (NativeMethod method : Inventory.natives(lines)) {
                all.add(method);
                if (classification.classify(method) == null) {
                    unclassified.add("JDK " + feature + " " + method.module() + " " + method.key());
                }
            }
        }
        assertThat(unclassified)
                .as("natives no line of classification.txt covers")
                .isEmpty();
        assertThat(SurfaceCheck.unused(classification, all))
                .as("lines of classification.txt that classify nothing")
                .isEmpty();
    }

    @Test
    void publicApiReachesNoHookedNativeAroundItsHook() {
        assertThat(SurfaceCheck.problems(inventory, classification, AgentHooks.INSTANCE))
                .isEmpty();
    }

    @Test
    void everyHookTheClassificationNamesWeavesIntoThisJdk() throws IOException {
        Set<Hook> named = new LinkedHashSet<>();
        for (NativeMethod method : inventory.natives()) {
            Classification.Entry entry = classification.classify(method);
            if (entry != null && entry.namesHooks()) {
                for (String name : entry.names()) {
                    named.add(Hook.valueOf(name));
                }
            }
        }
        assertThat(named).isNotEmpty();
        List<Hook> expected = ExpectedHooks.forJdk(image.feature());
        List<String> notWoven = new ArrayList<>();
        for (Hook hook : named) {
            byte[] classFile = image.classBytes(hook.owner);
            if (classFile == null
                    || AgentHooks.INSTANCE.methods(hook.name()).stream()
                            .allMatch(method -> inventory.callGraph().method(method) < 0)) {
                continue; // a hook of other JDKs' methods; the walk fails an entry none of whose hooks this JDK has
            }
            HookTransformer transformer = new HookTransformer(List.of(hook), new FutureTask<>(() -> null));
            if (transformer.transform(null, null, hook.owner, null, null, classFile) == null
                    || !transformer.installedHooks().contains(hook)) {
                notWoven.add(hook + " (" + hook.owner + "." + hook.method + ")");
            } else if (!expected.contains(hook)) {
                notWoven.add(hook + " is not in ExpectedHooks, so the agent's start-up self-check would not miss it");
            }
        }
        assertThat(notWoven)
                .as("hooks the classification relies on that do not weave into JDK %s", image.version())
                .isEmpty();
    }

    @Test
    void everyOptionThatClosesAnEntryIsOffAndCannotBeSwitchedOnAtRunTime() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<String> open = new ArrayList<>();
        int options = 0;
        for (Classification.Entry entry : classification.entries()) {
            String closedBy =
                    entry.kind() == Classification.Kind.CLOSED ? entry.names().get(0) : "";
            if (closedBy.startsWith("option=-XX:-")) {
                options++;
                String name = closedBy.substring("option=-XX:-".length());
                VMOption option;
                try {
                    option = vm.getVMOption(name);
                } catch (IllegalArgumentException notManageable) {
                    // An experimental option: the management interface neither shows nor sets it, so it is as
                    // the command line left it, and without -XX:+UnlockExperimentalVMOptions that is its default.
                    if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .anyMatch(argument -> argument.contains(name) || argument.contains("UnlockExperimental"))) {
                        open.add(entry + ": set on the command line");
                    }
                    continue;
                }
                if (!option.getValue().equals("false") || option.isWriteable()) {
                    open.add(entry + ": " + option);
                }
            }
        }
        assertThat(options).isPositive();
        assertThat(open).as("options that were to close an entry").isEmpty();
    }

    @Test
    void everyResidualEntryIsNamedInTheThreatModel() throws IOException {
        String threatModel = Files.readString(THREAT_MODEL);
        Set<String> missing = new TreeSet<>();
        for (Classification.Entry entry : classification.entries()) {
            if (entry.kind() == Classification.Kind.RESIDUAL
                    && !threatModel.contains("`" + entry.names().get(0) + "`")) {
                missing.add(entry.names().get(0));
            }
        }
        assertThat(missing)
                .as("residual anchors of classification.txt that docs/threat-model.md does not name")
                .isEmpty();
    }

    /** The agent's hooks by name, as {@link Hook} declares them: one place for the agent and this check. */
    enum AgentHooks implements SurfaceCheck.Hooks {
        INSTANCE;

        @Override
        public List<String> methods(String hookName) {
            Hook hook;
            try {
                hook = Hook.valueOf(hookName);
            } catch (IllegalArgumentException unknown) {
                return null;
            }
            List<String> methods = new ArrayList<>();
            if (hook.owner != null) {
                for (String descriptor : hook.descriptors) {
                    methods.add(hook.owner.replace('/', '.') + "#" + hook.method + descriptor);
                }
            }
            return methods;
        }
    }
}
