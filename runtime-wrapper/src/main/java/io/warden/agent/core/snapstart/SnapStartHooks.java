package io.warden.agent.core.snapstart;

import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.report.ViolationReporter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

/**
 * SnapStart: Lambda snapshots the initialised JVM and restores copies of it. Warden registers a CRaC resource with
 * the runtime's global context (org.crac where the runtime offers it, and the Lambda runtime client's own
 * implementation) so that before the snapshot it writes out what is pending, and after each restore it starts afresh
 * what must not be shared between copies: the cold start flag of the next invocation and the aggregation windows.
 * Enforcement itself needs nothing: the hooks and the policy are part of the snapshot. The runtime holds resources
 * weakly, so this object holds them.
 *
 * <p>The resource is a proxy, and {@code Proxy.getInvocationHandler} hands this object to anyone who holds the
 * resource, which the function can take from the runtime's context. So it holds nothing of Warden's that reflection
 * can follow: its two pieces of work are wrapped by {@link Executors#callable}, whose field is in
 * {@code java.util.concurrent}, a package the JDK opens to no one; calling them does only what the runtime's own calls
 * do (write out what is pending; start a restored copy afresh, losing nothing pending).
 */
public final class SnapStartHooks implements InvocationHandler {

    /** Where a CRaC implementation may be found: the API most libraries use, and the Lambda runtime client's. */
    static final String[] CRAC_PACKAGES = {"org.crac", "com.amazonaws.services.lambda.crac"};

    private final Callable<Object> beforeCheckpoint;
    private final Callable<Object> afterRestore;
    private final List<Object> registered = new ArrayList<>();

    private SnapStartHooks(ViolationReporter reporter, Invocations invocations) {
        this.beforeCheckpoint = Executors.callable(new Runnable() {
            @Override
            public void run() {
                reporter.flush();
            }
        });
        this.afterRestore = Executors.callable(new Runnable() {
            @Override
            public void run() {
                invocations.restored();
                reporter.restored();
            }
        });
    }

    /** Registers with every CRaC context the runtime offers; returns the hooks (keep them), never null. */
    public static SnapStartHooks register(ViolationReporter reporter, Invocations invocations) {
        SnapStartHooks hooks = new SnapStartHooks(reporter, invocations);
        ClassLoader runtime = ClassLoader.getSystemClassLoader();
        for (String cracPackage : CRAC_PACKAGES) {
            try {
                Class<?> core = Class.forName(cracPackage + ".Core", true, runtime);
                Class<?> resourceType = Class.forName(cracPackage + ".Resource", false, runtime);
                Object context = core.getMethod("getGlobalContext").invoke(null);
                Object resource = Proxy.newProxyInstance(runtime, new Class<?>[] {resourceType}, hooks);
                context.getClass().getMethod("register", resourceType).invoke(context, resource);
                hooks.registered.add(resource);
            } catch (ClassNotFoundException absent) {
                // This runtime does not offer that API.
            } catch (ReflectiveOperationException | RuntimeException | LinkageError failed) {
                reporter.internalError("snapstart " + cracPackage, failed);
            }
        }
        return hooks;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Exception {
        switch (method.getName()) {
            case "beforeCheckpoint":
                beforeCheckpoint.call();
                return null;
            case "afterRestore":
                afterRestore.call();
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == arguments[0];
            case "toString":
                return "Warden SnapStart hooks";
            default:
                return null;
        }
    }
}
