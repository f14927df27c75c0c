package io.warden.agent.core.hooks;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Inserts a call to the gate at the entry of every {@link Hook}ed JDK method ({@link GateCallPatcher}), in the classes
 * the JVM loaded before the agent and in those it loads later, and records which hooked classes it has handled, so that
 * each class's hooks are verified as it is woven ({@link HookSelfCheck}).
 */
public final class HookTransformer implements ClassFileTransformer {

    /** Told after each hooked class the transformer has handled, woven or not. */
    public interface Listener {
        void classHandled();
    }

    /** How long a weave waits for the gate before it leaves the class as it is; defining it takes milliseconds. */
    static final long GATE_WAIT_SECONDS = 10;

    private final Map<String, List<Hook>> hooksByOwner = new HashMap<>();
    /** The same owners by binary name, as {@link Class#getName} gives them. */
    private final Set<String> ownerClassNames = new HashSet<>();
    /**
     * The hooks woven into a class so far. Not an EnumSet: its first use reflects on {@code Hook.values()}, which costs
     * about 10 ms of start-up on JDK 25 (method handles spun for the reflective call).
     */
    private final Set<Hook> installed = new HashSet<>();
    /** The hooked classes (internal names) handed to the transformer so far, whether their hooks wove or not. */
    private final Set<String> handled = new HashSet<>();

    private volatile Listener listener;
    /** Done once the gate is defined; woven code must never run before, since it calls the gate. */
    private final RunnableFuture<?> gateDefinition;

    /**
     * Weaves {@code hooks} into their classes, handing woven code to the JVM only once {@code gateDefinition} is done;
     * the first woven class runs it unless another thread already has.
     */
    public HookTransformer(Iterable<Hook> hooks, RunnableFuture<?> gateDefinition) {
        this.gateDefinition = gateDefinition;
        for (Hook hook : hooks) {
            if (hook.owner == null) {
                continue;
            }
            List<Hook> sameOwner = hooksByOwner.get(hook.owner);
            if (sameOwner == null) {
                sameOwner = new ArrayList<>();
                hooksByOwner.put(hook.owner, sameOwner);
            }
            sameOwner.add(hook);
            ownerClassNames.add(hook.owner.replace('/', '.'));
        }
    }

    /** Registers the transformer and weaves the hooked classes that are already loaded. */
    public void install(Instrumentation instrumentation) throws UnmodifiableClassException {
        instrumentation.addTransformer(this, true);
        retransformHookedClasses(instrumentation);
    }

    /** Unregisters the transformer and gives the hooked classes loaded so far back their own code. */
    public void uninstall(Instrumentation instrumentation) throws UnmodifiableClassException {
        instrumentation.removeTransformer(this);
        retransformHookedClasses(instrumentation);
        synchronized (this) {
            installed.clear();
            handled.clear();
        }
    }

    private void retransformHookedClasses(Instrumentation instrumentation) throws UnmodifiableClassException {
        List<Class<?>> loaded = new ArrayList<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if ((loader == null || loader == platform) && ownerClassNames.contains(type.getName())) {
                loaded.add(type);
            }
        }
        if (!loaded.isEmpty()) {
            instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }

    /** The hooks woven so far. */
    public synchronized Set<Hook> installedHooks() {
        return new HashSet<>(installed);
    }

    /** Whether the class (internal name) has been handed to the transformer: its hooks are woven now or never. */
    synchronized boolean handled(String owner) {
        return handled.contains(owner);
    }

    /** From now on, told after every hooked class the JVM hands to the transformer. */
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (className == null || (loader != null && loader != ClassLoader.getPlatformClassLoader())) {
            return null;
        }
        List<Hook> hooks = hooksByOwner.get(className);
        if (hooks == null) {
            return null;
        }
        byte[] woven;
        try {
            woven = weave(classfileBuffer, hooks);
        } catch (Throwable failure) {
            // Leave the class as it is rather than break it; the self-check reports the missing hooks.
            woven = null;
        }
        synchronized (this) {
            handled.add(className);
        }
        Listener told = listener;
        if (told != null) {
            try {
                told.classHandled();
            } catch (Throwable failure) {
                // The class loads all the same; a report that could not be written must not fail the function.
            }
        }
        return woven;
    }

    private byte[] weave(byte[] classFile, List<Hook> hooks) throws GateCallPatcher.UnsupportedClassFile {
        GateCallPatcher.Patched patched = GateCallPatcher.patch(classFile, hooks);
        if (patched == null || !gateDefined()) {
            return null;
        }
        synchronized (this) {
            installed.addAll(patched.hooks);
        }
        return patched.classFile;
    }

    /**
     * Waits for the gate, which another thread defines while this one weaves. A class whose gate is missing keeps its own
     * code: a call to an undefined gate would fail in the function, and the start-up check reports the missing hooks.
     */
    private boolean gateDefined() {
        try {
            gateDefinition.run(); // does nothing if it has run or is running
            gateDefinition.get(GATE_WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException notDefined) {
            return false;
        }
    }
}
