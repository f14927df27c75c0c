package java.lang;

/**
 * The one class Warden places inside {@code java.base} (with its nested {@link Target}): code woven into JDK classes can
 * only call classes the boot loader sees. It is compiled as part of {@code java.base} and defined there at run time by
 * the agent's {@code GateDefiner}; the class path never sees it. Every hook calls {@link #check}; the gate forwards
 * to the agent's enforcer through a private field that is set once, by the agent, before the function's code runs.
 * Until then, and if the agent never starts, every check passes.
 */
public final class WardenGate {

    private static volatile Target target;

    private WardenGate() {}

    /**
     * Connects the enforcer, once: the agent does it before the function's code runs, and every later call, from
     * anyone, changes nothing. A direct call rather than reflection, which costs milliseconds at start-up on newer JDKs.
     */
    public static void connect(Target enforcer) {
        if (target == null) {
            target = enforcer;
        }
    }

    /**
     * Returns whether the hooked operation may proceed. A blocked operation either throws the exception its API declares
     * (thrown by the enforcer, passed through unchanged) or returns false for hooks whose API reports failure by value.
     */
    public static boolean check(int hook, Object subject, Object argument, int flags) throws Throwable {
        Target current = target;
        return current == null || current.check(hook, subject, argument, flags);
    }

    /**
     * For hooks whose operation may go on with another value than the caller's (a native library Warden has checked
     * and copied): returns the value the hooked method continues with in place of its subject, or throws the
     * exception its API declares when blocked.
     */
    public static Object substitute(int hook, Object subject, Object argument, int flags) throws Throwable {
        Target current = target;
        return current == null ? subject : current.substitute(hook, subject, argument, flags);
    }

    /** {@code Collections.unmodifiableMap}'s and {@code unmodifiableList}'s own fields, made readable on first use. */
    private static volatile java.lang.reflect.Field mapViewField;

    private static volatile java.lang.reflect.Field listViewField;

    /**
     * What one of the JDK's unmodifiable views shows, copied: the keys of {@code Collections.unmodifiableMap} over a
     * {@code LinkedHashMap}, the elements of {@code Collections.unmodifiableList} over an {@code ArrayList} (exactly those
     * classes: how the AWS SDK for Java v2 keeps a request's maps and lists); null for any other object, a view over
     * another class, or more than {@code max} of them. The view's field is read, not called, so no method of a collection
     * of the caller's making ever runs here; and it copies nothing the view does not show anyone who holds it.
     */
    public static Object[] unmodifiableContents(Object view, int max) throws ReflectiveOperationException {
        if (view == null || view.getClass().getClassLoader() != null) {
            return null;
        }
        Object backing;
        switch (view.getClass().getName()) {
            case "java.util.Collections$UnmodifiableMap":
                java.lang.reflect.Field map = mapViewField;
                if (map == null) {
                    map = mapViewField = readable("java.util.Collections$UnmodifiableMap", "m");
                }
                backing = map.get(view);
                break;
            case "java.util.Collections$UnmodifiableRandomAccessList":
            case "java.util.Collections$UnmodifiableList":
                java.lang.reflect.Field list = listViewField;
                if (list == null) {
                    list = listViewField = readable("java.util.Collections$UnmodifiableList", "list");
                }
                backing = list.get(view);
                break;
            default:
                return null;
        }
        if (backing != null && backing.getClass() == java.util.LinkedHashMap.class) {
            java.util.LinkedHashMap<?, ?> map = (java.util.LinkedHashMap<?, ?>) backing;
            return map.size() <= max ? map.keySet().toArray() : null;
        }
        if (backing != null && backing.getClass() == java.util.ArrayList.class) {
            java.util.ArrayList<?> list = (java.util.ArrayList<?>) backing;
            return list.size() <= max ? list.toArray() : null;
        }
        return null;
    }

    private static java.lang.reflect.Field readable(String owner, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field field = Class.forName(owner).getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** What the gate calls: a plain virtual call, which the JIT inlines, rather than a method handle. */
    public abstract static class Target {
        protected Target() {}

        public abstract boolean check(int hook, Object subject, Object argument, int flags) throws Throwable;

        public abstract Object substitute(int hook, Object subject, Object argument, int flags) throws Throwable;

        /**
         * Loads a library on the class loader of {@code caller}, as {@code System.load} called from that class would,
         * the native hook included: how the enforcer loads its own checked copy of a library on the loader that asked
         * for it. Only the connected target may; the agent's class loader never gets {@code java.lang} for it.
         */
        protected final void loadLibrary(Class<?> caller, java.io.File file) {
            if (this != target) {
                throw new IllegalStateException("only the connected enforcer loads libraries through the gate");
            }
            ClassLoader.loadLibrary(caller, file);
        }

        /**
         * Whether the JDK's runtime image holds a class file ({@code module}, {@code path} such as
         * {@code java/net/Socket.class}), found without loading the class: how the agent's self-check tells a hooked
         * class that a JDK renamed or removed from one not loaded yet. Only the connected target may ask.
         *
         * @throws RuntimeException or LinkageError when the JDK has no runtime image to read
         */
        protected final boolean inRuntimeImage(String module, String path) {
            if (this != target) {
                throw new IllegalStateException("only the connected enforcer reads the runtime image through the gate");
            }
            return jdk.internal.jimage.ImageReaderFactory.getImageReader().findLocation(module, path) != null;
        }
    }
}
