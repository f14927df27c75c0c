package io.warden.surface;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reviewed classification of the JDK's native methods ({@code classification.txt}): one entry a line,
 * {@code <selector> <verdict> <why>}. The most specific selector that matches a native decides:
 * {@code Class#name(descriptor)}, then {@code Class#name} (every overload), then {@code Class} (every native of the
 * class), then {@code package.*} (classes of the package), then {@code package.**} (and its subpackages), then
 * {@code module:name}. Verdicts:
 * <ul>
 * <li>{@code hooked:HOOK[,HOOK]}: every path from public API to the native passes one of the named agent hooks;</li>
 * <li>{@code closed:HOOK[,HOOK]}: Warden denies the Java caller through the named hooks (same check as hooked);</li>
 * <li>{@code closed:option=-XX:...}: a JVM option the JDK starts with by default, or the wrapper sets, disables it;</li>
 * <li>{@code residual:anchor}: not mediated; {@code docs/threat-model.md} names the risk under that anchor;</li>
 * <li>{@code safe}: does not reach the file system, the network, processes, native code or the VM's configuration
 * (the reason says why).</li>
 * </ul>
 */
public final class Classification {

    public enum Kind {
        HOOKED,
        CLOSED,
        RESIDUAL,
        SAFE
    }

    /** One line of the classification. */
    public record Entry(int line, String selector, Kind kind, List<String> names, String reason) {

        /** Whether the names are agent hooks: hooked, or closed at a hook rather than by a JVM option. */
        public boolean namesHooks() {
            return kind == Kind.HOOKED || (kind == Kind.CLOSED && !names.get(0).startsWith("option="));
        }

        /** How specific the selector is; higher wins. */
        int rank() {
            if (selector.startsWith("module:")) {
                return 0;
            }
            if (selector.endsWith(".**")) {
                return 1 + selector.length();
            }
            if (selector.endsWith(".*")) {
                return 1000 + selector.length();
            }
            if (!selector.contains("#")) {
                return 2000;
            }
            return selector.contains("(") ? 4000 : 3000;
        }

        boolean matches(NativeMethod method) {
            if (selector.startsWith("module:")) {
                return method.module().equals(selector.substring("module:".length()));
            }
            if (selector.endsWith(".**")) {
                String prefix = selector.substring(0, selector.length() - 3);
                return method.packageName().equals(prefix)
                        || method.packageName().startsWith(prefix + ".");
            }
            if (selector.endsWith(".*")) {
                return method.packageName().equals(selector.substring(0, selector.length() - 2));
            }
            int hash = selector.indexOf('#');
            if (hash < 0) {
                return method.owner().equals(selector);
            }
            if (!method.owner().equals(selector.substring(0, hash))) {
                return false;
            }
            String rest = selector.substring(hash + 1);
            return rest.contains("(") ? rest.equals(method.name() + method.descriptor()) : rest.equals(method.name());
        }

        @Override
        public String toString() {
            return "line " + line + ": " + selector;
        }
    }

    private final List<Entry> entries;

    private Classification(List<Entry> entries) {
        this.entries = entries;
    }

    /** The classification checked in with this module. */
    public static Classification bundled() throws IOException {
        try (InputStream in = Classification.class.getResourceAsStream("classification.txt")) {
            if (in == null) {
                throw new IOException("classification.txt is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Parses the text; a malformed line is an error naming its number. */
    public static Classification parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": expected <selector> <verdict> <why>: " + line);
            }
            Integer earlier = seen.put(parts[0], i + 1);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": " + parts[0] + " is already classified on line " + earlier);
            }
            entries.add(verdict(i + 1, parts[0], parts[1], parts[2]));
        }
        return new Classification(List.copyOf(entries));
    }

    private static Entry verdict(int line, String selector, String verdict, String reason) {
        int colon = verdict.indexOf(':');
        String word = colon < 0 ? verdict : verdict.substring(0, colon);
        List<String> names =
                colon < 0 ? List.of() : List.of(verdict.substring(colon + 1).split(","));
        Kind kind;
        switch (word) {
            case "hooked" -> kind = Kind.HOOKED;
            case "closed" -> kind = Kind.CLOSED;
            case "residual" -> kind = Kind.RESIDUAL;
            case "safe" -> kind = Kind.SAFE;
            default -> throw new IllegalArgumentException("line " + line + ": unknown verdict " + verdict);
        }
        boolean needsNames = kind != Kind.SAFE;
        if (needsNames == names.isEmpty() || names.contains("")) {
            throw new IllegalArgumentException("line " + line + ": "
                    + (needsNames ? word + " needs what covers it, e.g. " + word + ":NAME" : "safe takes no names")
                    + ": " + verdict);
        }
        return new Entry(line, selector, kind, names, reason);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry that classifies {@code method}, or null. */
    public Entry classify(NativeMethod method) {
        Entry best = null;
        for (Entry entry : entries) {
            if (entry.matches(method) && (best == null || entry.rank() > best.rank())) {
                best = entry;
            }
        }
        return best;
    }
}
