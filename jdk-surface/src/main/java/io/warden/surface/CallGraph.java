package io.warden.surface;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.objectweb.asm.Opcodes;

/**
 * The JDK's call graph, walked backwards from a native to the public API that reaches it. A call site names a method
 * by its owner as written; it is taken to reach every method it can dispatch to: the one it resolves to and every
 * override in a subtype. That over-approximates (a path may exist only on paper), which is the safe side for a check
 * that no path goes around a hook. Reflection, JNI up-calls and method handles looked up by name are not followed.
 */
public final class CallGraph {

    /** A public or protected method of a public class in a package its module exports to everyone. */
    private static final int API = 1 << 30;

    private final Map<String, ClassInfo> classes = new HashMap<>();
    private final List<String> owners = new ArrayList<>();
    private final List<String> nameDescriptors = new ArrayList<>();
    private int[] access = new int[1 << 16];
    /** Call sites by called name and descriptor: pairs of (owner as written, caller). */
    private final Map<String, int[]> sites = new HashMap<>();

    private final Map<String, Integer> siteCounts = new HashMap<>();
    private final Map<String, Integer> ownerIds = new HashMap<>();
    private final List<String> ownerNames = new ArrayList<>();
    private final Map<Integer, int[]> callers = new HashMap<>();

    private static final class ClassInfo {
        final String superName;
        final String[] interfaces;
        final Map<String, Integer> methods = new HashMap<>();
        Set<String> supertypes;

        ClassInfo(String superName, String[] interfaces) {
            this.superName = superName;
            this.interfaces = interfaces == null ? new String[0] : interfaces;
        }
    }

    void addClass(String name, String superName, String[] interfaces) {
        classes.put(name, new ClassInfo(superName, interfaces));
    }

    int declare(String owner, String name, String descriptor, int flags, boolean api, String module) {
        int id = owners.size();
        owners.add(owner);
        nameDescriptors.add(name + descriptor);
        if (id == access.length) {
            access = Arrays.copyOf(access, id * 2);
        }
        access[id] = (flags & 0xFFFF) | (api ? API : 0);
        classes.get(owner).methods.put(name + descriptor, id);
        return id;
    }

    void call(int caller, String owner, String name, String descriptor) {
        String key = name + descriptor;
        int count = siteCounts.getOrDefault(key, 0);
        int[] pairs = sites.get(key);
        if (pairs == null || pairs.length < 2 * count + 2) {
            pairs = pairs == null ? new int[4] : Arrays.copyOf(pairs, pairs.length * 2);
            sites.put(key, pairs);
        }
        pairs[2 * count] = ownerId(owner);
        pairs[2 * count + 1] = caller;
        siteCounts.put(key, count + 1);
    }

    private int ownerId(String owner) {
        Integer id = ownerIds.get(owner);
        if (id == null) {
            id = ownerNames.size();
            ownerNames.add(owner);
            ownerIds.put(owner, id);
        }
        return id;
    }

    /** The method named {@code owner#name(descriptor)} (binary owner name), or -1. */
    public int method(String key) {
        int hash = key.indexOf('#');
        ClassInfo info = classes.get(key.substring(0, hash).replace('.', '/'));
        Integer id = info == null ? null : info.methods.get(key.substring(hash + 1));
        return id == null ? -1 : id;
    }

    public String name(int method) {
        return owners.get(method).replace('/', '.') + "#" + nameDescriptors.get(method);
    }

    public boolean isApi(int method) {
        return (access[method] & API) != 0;
    }

    /**
     * The public API nearest to {@code target}: walks callers backwards, not past public API methods nor past methods
     * {@code stop} accepts (hooks), and returns each public method reached with the chain that reaches it
     * ({@code api <- ... <- target}).
     */
    public Map<String, String> apiReaching(int target, IntPredicate stop) {
        Map<Integer, Integer> parent = new HashMap<>();
        parent.put(target, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(target);
        Set<Integer> reached = new TreeSet<>();
        while (!queue.isEmpty()) {
            int method = queue.poll();
            if (method != target && stop.test(method)) {
                continue;
            }
            if (method != target && isApi(method)) {
                reached.add(method);
                continue;
            }
            for (int caller : callers(method)) {
                if (!parent.containsKey(caller)) {
                    parent.put(caller, method);
                    queue.add(caller);
                }
            }
        }
        Map<String, String> chains = new java.util.TreeMap<>();
        for (int api : reached) {
            StringBuilder chain = new StringBuilder(name(api));
            for (int step = parent.get(api); step >= 0; step = parent.get(step)) {
                chain.append(" <- ").append(name(step));
            }
            chains.put(name(api), chain.toString());
        }
        return chains;
    }

    /** Every method with a call site that can reach {@code method}. */
    int[] callers(int method) {
        int[] known = callers.get(method);
        if (known != null) {
            return known;
        }
        String declaring = owners.get(method);
        String key = nameDescriptors.get(method);
        int flags = access[method];
        boolean dispatched = (flags & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0 && !key.startsWith("<");
        int[] pairs = sites.get(key);
        int count = siteCounts.getOrDefault(key, 0);
        Set<Integer> found = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String written = ownerNames.get(pairs[2 * i]);
            int caller = pairs[2 * i + 1];
            if (written.equals(declaring)
                    || (dispatched && isSubtype(declaring, written))
                    || (isSubtype(written, declaring) && resolve(written, key) == method)) {
                found.add(caller);
            }
        }
        int[] result = found.stream().mapToInt(Integer::intValue).sorted().toArray();
        callers.put(method, result);
        return result;
    }

    /** The method a call on {@code owner} resolves to by walking up the superclasses, or -1. */
    private int resolve(String owner, String key) {
        for (String type = owner; type != null; ) {
            ClassInfo info = classes.get(type);
            if (info == null) {
                return -1;
            }
            Integer id = info.methods.get(key);
            if (id != null) {
                return id;
            }
            type = info.superName;
        }
        return -1;
    }

    /** Whether {@code type} is {@code supertype} or extends or implements it. */
    private boolean isSubtype(String type, String supertype) {
        return supertypes(type).contains(supertype);
    }

    private Set<String> supertypes(String type) {
        ClassInfo info = classes.get(type);
        if (info == null) {
            return Set.of(type);
        }
        if (info.supertypes == null) {
            Set<String> all = new HashSet<>();
            all.add(type);
            if (info.superName != null) {
                all.addAll(supertypes(info.superName));
            }
            for (String implemented : info.interfaces) {
                all.addAll(supertypes(implemented));
            }
            info.supertypes = all;
        }
        return info.supertypes;
    }
}
