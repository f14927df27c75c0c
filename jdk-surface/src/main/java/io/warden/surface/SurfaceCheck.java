package io.warden.surface;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is wrong between a JDK's natives and the classification: a native no entry classifies, and a native classified
 * hooked or closed at a hook that public API can still reach on a path that passes none of its hooks.
 */
public final class SurfaceCheck {

    /** At most this many unmediated chains are printed per native. */
    private static final int CHAINS_SHOWN = 3;

    /** The agent's hooks by name: the methods each one weaves, {@code owner#name(descriptor)}, or null if unknown. */
    public interface Hooks {
        Hooks NONE = name -> null;

        List<String> methods(String hookName);
    }

    private SurfaceCheck() {}

    /** One line per problem; empty when the classification covers the JDK. */
    public static List<String> problems(Inventory inventory, Classification classification, Hooks hooks) {
        List<String> problems = new ArrayList<>();
        for (NativeMethod method : inventory.natives()) {
            Classification.Entry entry = classification.classify(method);
            if (entry == null) {
                problems.add("UNCLASSIFIED " + method.module() + " " + method.key());
            } else if (hooks != Hooks.NONE && entry.namesHooks()) {
                problems.addAll(mediation(inventory.callGraph(), method, entry, hooks));
            }
        }
        return problems;
    }

    /** Entries that classify none of the natives given. */
    public static Set<Classification.Entry> unused(Classification classification, Iterable<NativeMethod> natives) {
        Set<Classification.Entry> unused = new LinkedHashSet<>(classification.entries());
        for (NativeMethod method : natives) {
            unused.remove(classification.classify(method));
        }
        return unused;
    }

    private static List<String> mediation(
            CallGraph graph, NativeMethod method, Classification.Entry entry, Hooks hooks) {
        List<String> problems = new ArrayList<>();
        Set<Integer> hookMethods = new HashSet<>();
        for (String hook : entry.names()) {
            List<String> candidates = hooks.methods(hook);
            if (candidates == null) {
                problems.add("UNKNOWN HOOK " + hook + " for " + method.key() + " (" + entry + ")");
                continue;
            }
            for (String candidate : candidates) {
                int id = graph.method(candidate);
                if (id >= 0) {
                    hookMethods.add(id); // the first descriptor the class declares is the one woven
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (hookMethods.isEmpty()) {
            problems.add(
                    "NO HOOK OF " + entry.names() + " EXISTS in this JDK for " + method.key() + " (" + entry + ")");
            return problems;
        }
        int target = graph.method(method.key());
        Map<String, String> reached = graph.apiReaching(target, hookMethods::contains);
        if (!reached.isEmpty()) {
            StringBuilder text = new StringBuilder("UNMEDIATED " + method.key() + " (" + entry + ") reached by "
                    + reached.size() + " public methods without " + entry.names() + ", e.g.");
            reached.values().stream()
                    .limit(CHAINS_SHOWN)
                    .forEach(chain -> text.append("\n    ").append(chain));
            problems.add(text.toString());
        }
        return problems;
    }
}
