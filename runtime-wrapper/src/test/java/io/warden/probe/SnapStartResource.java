package io.warden.probe;

import com.amazonaws.services.lambda.crac.ContextImpl;
import com.amazonaws.services.lambda.crac.Core;
import com.amazonaws.services.lambda.crac.Resource;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Under SnapStart Warden registers a CRaC resource with the runtime's global context. The function takes it from the
 * context, asks {@code Proxy.getInvocationHandler} for the object behind it, and follows everything reflection lets
 * it follow from there: every field it can open, every collection, and the static fields of every Warden class its
 * class loader will name (the names come from the test, as an attacker would read them from Warden's jar). What it
 * must not reach is the state that Warden's enforcement and reporting run on.
 */
final class SnapStartResource {

    /** Warden's state: reaching one of these would let the function silence or steer Warden. */
    private static final List<String> STATE = List.of(
            ".ViolationReporter",
            ".ReportSender",
            ".Enforcer",
            ".EnforcerTarget",
            ".Invocations",
            ".HookTransformer",
            ".core.Agent",
            "sun.instrument.InstrumentationImpl",
            "java.lang.invoke.MethodHandles$Lookup");

    private static final int MAX_OBJECTS = 500_000;

    private SnapStartResource() {}

    static String attack() throws Exception {
        ContextImpl context = (ContextImpl) Core.getGlobalContext();
        Field queue = ContextImpl.class.getDeclaredField("checkpointQueue");
        queue.setAccessible(true);
        List<Object> handlers = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        for (Object resource : new ArrayList<>(((Map<?, ?>) queue.get(context)).keySet())) {
            if (Proxy.isProxyClass(resource.getClass())) {
                handlers.add(Proxy.getInvocationHandler(resource));
                resources.add((Resource) resource);
            }
        }
        Set<String> reached = reachable(handlers);
        // The calls the runtime's context makes on each resource still do their work.
        for (Resource resource : resources) {
            resource.beforeCheckpoint(context);
            resource.afterRestore(context);
        }
        return "handlers " + handlers.size() + "; reached " + reached;
    }

    private static Set<String> reachable(List<Object> roots) throws Exception {
        Set<String> reached = new TreeSet<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new LinkedList<>(roots); // holds nulls, which fields have
        List<String> wardenClasses = Files.readAllLines(Path.of(System.getProperty("probe.wardenClasses")));
        for (Object root : roots) {
            ClassLoader loader = root.getClass().getClassLoader();
            for (String name : wardenClasses) {
                try {
                    todo.addAll(staticValues(Class.forName(name, false, loader)));
                } catch (ClassNotFoundException | LinkageError absent) {
                    // not a class of that loader
                }
            }
        }
        while (!todo.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object next = todo.poll();
            if (next == null || !seen.add(next)) {
                continue;
            }
            Class<?> type = next.getClass();
            for (String state : STATE) {
                if (type.getName().endsWith(state) || type.getName().equals(state)) {
                    reached.add(type.getName());
                }
            }
            if (next instanceof Class || next instanceof String || type.isPrimitive()) {
                continue;
            }
            if (next instanceof Object[]) {
                Collections.addAll(todo, (Object[]) next);
            } else if (next instanceof Map) {
                try {
                    for (Map.Entry<?, ?> entry : ((Map<?, ?>) next).entrySet()) {
                        todo.add(entry.getKey());
                        todo.add(entry.getValue());
                    }
                } catch (RuntimeException unreadable) {
                    // a map that will not be walked
                }
            } else if (next instanceof Iterable) {
                try {
                    for (Object element : (Iterable<?>) next) {
                        todo.add(element);
                    }
                } catch (RuntimeException unreadable) {
                    // an iterable that will not be walked
                }
            } else if (next instanceof Reference) {
                todo.add(((Reference<?>) next).get());
            } else if (next instanceof ClassLoader) {
                todo.add(((ClassLoader) next).getParent());
            }
            for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
                for (Field field : declaring.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())
                            || field.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        field.setAccessible(true);
                        todo.add(field.get(next));
                    } catch (RuntimeException | IllegalAccessException closed) {
                        // the module system keeps this field closed
                    }
                }
            }
        }
        return reached;
    }

    private static List<Object> staticValues(Class<?> type) {
        List<Object> values = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                try {
                    field.setAccessible(true);
                    values.add(field.get(null));
                } catch (RuntimeException | IllegalAccessException | LinkageError closed) {
                    // closed, or a class that cannot initialise
                }
            }
        }
        return values;
    }
}
