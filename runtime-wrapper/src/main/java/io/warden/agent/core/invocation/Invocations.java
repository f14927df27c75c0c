package io.warden.agent.core.invocation;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which invocation a violation belongs to. Each runtime loop thread runs one invocation at a time (several at once
 * with {@code AWS_LAMBDA_MAX_CONCURRENCY}), so the scope is per thread; a violation on another thread (an executor the
 * function started) belongs to the one active invocation if there is exactly one, else to none. Before the first
 * invocation the function is initialising. Outside Lambda (no handler to wrap) there are no invocations at all.
 */
public final class Invocations {

    private static final String CONTEXT_INTERFACE = "com.amazonaws.services.lambda.runtime.Context";

    private final ThreadLocal<Invocation> current = new ThreadLocal<>();
    private final Set<Invocation> active = ConcurrentHashMap.newKeySet();
    /** Set by the first invocation, which is the cold start. A monitor rather than an AtomicBoolean: see StartupTask. */
    private volatile boolean coldStartTaken;

    private final Invocation init;
    private final String defaultVersion;
    private final boolean wrapsHandler;
    private volatile ContextAccessors accessors;

    /** @param wrapsHandler whether a handler is wrapped, so that there will be invocations */
    public Invocations(String functionVersion, boolean wrapsHandler) {
        this.defaultVersion = functionVersion;
        this.wrapsHandler = wrapsHandler;
        this.init = new Invocation(null, functionVersion, true, null);
    }

    /** Enters a scope; returns the new invocation when this is the outermost scope on the thread, else null. */
    public Invocation start(Object context) {
        Invocation running = current.get();
        if (running != null) {
            running.depth++;
            return null;
        }
        Invocation invocation = new Invocation(
                read(context, ContextAccessors.REQUEST_ID),
                versionOf(context),
                takeColdStart(),
                accountOf(read(context, ContextAccessors.FUNCTION_ARN)));
        current.set(invocation);
        active.add(invocation);
        return invocation;
    }

    /** Leaves a scope; returns the invocation when its outermost scope ended, else null. */
    public Invocation end() {
        Invocation running = current.get();
        if (running == null || --running.depth > 0) {
            return null;
        }
        current.remove();
        active.remove(running);
        return running;
    }

    /** The invocation a violation on this thread belongs to; the init phase before the first invocation; or null. */
    public Invocation attributed() {
        if (!wrapsHandler) {
            return null;
        }
        Invocation running = current.get();
        if (running != null) {
            return running;
        }
        if (!coldStartTaken) {
            return init;
        }
        Iterator<Invocation> all = active.iterator();
        Invocation only = all.hasNext() ? all.next() : null;
        return all.hasNext() ? null : only;
    }

    /** Whether there are invocations at all: on Lambda, with the handler wrapped. */
    public boolean wrapsHandler() {
        return wrapsHandler;
    }

    /** After a SnapStart restore: the next invocation is this copy's first, a cold start. */
    public void restored() {
        coldStartTaken = false;
    }

    public boolean isInit(Invocation invocation) {
        return invocation == init;
    }

    /** The init phase's counts, once the first invocation has started (then they no longer grow). */
    public Invocation init() {
        return init;
    }

    private String versionOf(Object context) {
        String version = read(context, ContextAccessors.FUNCTION_VERSION);
        return version == null ? defaultVersion : version;
    }

    /** The account of a function ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}), or null. */
    static String accountOf(String functionArn) {
        if (functionArn == null) {
            return null;
        }
        String[] parts = functionArn.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") && !parts[4].isEmpty() ? parts[4] : null;
    }

    /**
     * Reads the request id, function version or invoked function ARN from a Lambda Context, through its interface (the
     * class may be hidden).
     */
    private String read(Object context, int which) {
        if (context == null) {
            return null;
        }
        try {
            ContextAccessors known = accessors;
            if (known == null || known.type != context.getClass()) {
                known = new ContextAccessors(context.getClass());
                accessors = known;
            }
            Method accessor = known.accessors == null ? null : known.accessors[which];
            return accessor == null ? null : (String) accessor.invoke(context);
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null;
        }
    }

    private static final class ContextAccessors {
        static final int REQUEST_ID = 0;
        static final int FUNCTION_VERSION = 1;
        static final int FUNCTION_ARN = 2;

        final Class<?> type;
        /** By REQUEST_ID, FUNCTION_VERSION, FUNCTION_ARN; null when the class is no Context. */
        final Method[] accessors;

        ContextAccessors(Class<?> type) throws NoSuchMethodException {
            this.type = type;
            Class<?> contextInterface = find(type);
            this.accessors = contextInterface == null
                    ? null
                    : new Method[] {
                        contextInterface.getMethod("getAwsRequestId"),
                        contextInterface.getMethod("getFunctionVersion"),
                        contextInterface.getMethod("getInvokedFunctionArn")
                    };
        }

        private static Class<?> find(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> candidate : c.getInterfaces()) {
                    if (candidate.getName().equals(CONTEXT_INTERFACE)) {
                        return candidate;
                    }
                }
            }
            return null;
        }
    }

    private boolean takeColdStart() {
        if (coldStartTaken) {
            return false;
        }
        synchronized (this) {
            if (coldStartTaken) {
                return false;
            }
            coldStartTaken = true;
            return true;
        }
    }
}
