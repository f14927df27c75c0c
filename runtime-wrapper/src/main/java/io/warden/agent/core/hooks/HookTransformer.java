package io.warden.agent.core.hooks;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inserts a call to the gate at the entry of every {@link Hook}ed JDK method. A plain ASM transformer (Byte Buddy's
 * bundled ASM) rather than Byte Buddy's {@code AgentBuilder}: it touches a dozen classes and costs a fraction of the
 * start-up time.
 */
public final class HookTransformer implements ClassFileTransformer {

    /** How long a weave waits for the gate before it leaves the class as it is; defining it takes milliseconds. */
    static final long GATE_WAIT_SECONDS = 10;

    private final Map<String, List<Hook>> hooksByOwner = new HashMap<>();
    /** The same owners by binary name, as {@link Class#getName} gives them. */
    private final Set<String> ownerClassNames = new HashSet<>();
    /** The hooks woven into a class so far. */
    private final Set<Hook> installed = EnumSet.noneOf(Hook.class);
    /** Done once the gate is defined; woven code must never run before, since it calls the gate. */
    private final Future<?> gateDefined;

    /** Weaves {@code hooks} into their classes, handing woven code to the JVM only once {@code gateDefined} is done. */
    public HookTransformer(Iterable<Hook> hooks, Future<?> gateDefined) {
        this.gateDefined = gateDefined;
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
        return EnumSet.copyOf(installed);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || (loader != null && loader != ClassLoader.getPlatformClassLoader())) {
            return null;
        }
        List<Hook> hooks = hooksByOwner.get(className);
        if (hooks == null) {
            return null;
        }
        try {
            return weave(classfileBuffer, hooks);
        } catch (Throwable failure) {
            // Leave the class as it is rather than break it; the start-up check reports the missing hook.
            return null;
        }
    }

    private byte[] weave(byte[] classFile, List<Hook> hooks) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Hook> targets = chooseTargets(reader, hooks);
        if (targets.isEmpty()) {
            return null;
        }
        // No COMPUTE_MAXS: unchanged methods are copied as they are, and GateCall raises the stack size itself.
        ClassWriter writer = new ClassWriter(reader, 0);
        Set<Hook> woven = EnumSet.noneOf(Hook.class);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                Hook hook = targets.get(name + descriptor);
                if (hook == null) {
                    return visitor;
                }
                woven.add(hook);
                return new GateCall(visitor, hook, reader.getClassName());
            }
        }, 0);
        if (woven.isEmpty() || !gateDefined()) {
            return null;
        }
        synchronized (this) {
            installed.addAll(woven);
        }
        return writer.toByteArray();
    }

    /**
     * Waits for the gate, which another thread defines while this one weaves. A class whose gate is missing keeps its own
     * code: a call to an undefined gate would fail in the function, and the start-up check reports the missing hooks.
     */
    private boolean gateDefined() {
        try {
            gateDefined.get(GATE_WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException notDefined) {
            return false;
        }
    }

    /**
     * For each hook, the first of its descriptors that the class declares. Only a class with a hook whose descriptor
     * differs between JDKs is read an extra time to see which it declares; the others need no such pass.
     */
    private static Map<String, Hook> chooseTargets(ClassReader reader, List<Hook> hooks) {
        Map<String, Hook> targets = new HashMap<>();
        boolean choices = false;
        for (Hook hook : hooks) {
            choices |= hook.descriptors.size() > 1;
            targets.put(hook.method + hook.descriptors.get(0), hook);
        }
        if (!choices) {
            return targets;
        }
        targets.clear();
        Set<String> declared = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                declared.add(name + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (Hook hook : hooks) {
            for (String descriptor : hook.descriptors) {
                if (declared.contains(hook.method + descriptor)) {
                    targets.put(hook.method + descriptor, hook);
                    break;
                }
            }
        }
        return targets;
    }

    /**
     * Emits, at method entry: {@code if (!WardenGate.check(hook, subject, argument, flags)) return <failure value>;},
     * inside {@code if (this.field == null)} for a hook checked only then.
     */
    private static final class GateCall extends MethodVisitor {
        /** Stack slots the gate call needs at method entry, where the stack is empty: four arguments. */
        private static final int GATE_CALL_STACK = 4;

        private final Hook hook;
        private final String owner;

        GateCall(MethodVisitor visitor, Hook hook, String owner) {
            super(Opcodes.ASM9, visitor);
            this.hook = hook;
            this.owner = owner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (hook.onlyWhenNull.kind != Hook.Arg.Kind.FIELD) {
                emitCheck();
                return;
            }
            Label skip = new Label();
            pushObject(hook.onlyWhenNull);
            super.visitJumpInsn(Opcodes.IFNONNULL, skip);
            emitCheck();
            super.visitLabel(skip);
            super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        }

        private void emitCheck() {
            GateCalls.pushHook(this, hook);
            pushObject(hook.subject);
            pushObject(hook.argument);
            if (hook.flags.kind == Hook.Arg.Kind.INT) {
                super.visitVarInsn(Opcodes.ILOAD, hook.flags.slot);
            } else {
                super.visitInsn(Opcodes.ICONST_0);
            }
            GateCalls.invokeCheck(this);
            if (hook.failure == Hook.Failure.THROW) {
                super.visitInsn(Opcodes.POP);
                return;
            }
            Label proceed = new Label();
            super.visitJumpInsn(Opcodes.IFNE, proceed);
            super.visitInsn(hook.failure == Hook.Failure.RETURN_FALSE ? Opcodes.ICONST_0 : Opcodes.ACONST_NULL);
            super.visitInsn(hook.failure == Hook.Failure.RETURN_FALSE ? Opcodes.IRETURN : Opcodes.ARETURN);
            super.visitLabel(proceed);
            // The frame at method entry: same locals as on entry, empty stack.
            super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, GATE_CALL_STACK), maxLocals);
        }

        private void pushObject(Hook.Arg arg) {
            switch (arg.kind) {
                case OBJECT:
                    super.visitVarInsn(Opcodes.ALOAD, arg.slot);
                    break;
                case BOXED_INT:
                    super.visitVarInsn(Opcodes.ILOAD, arg.slot);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
                    break;
                case FIELD:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, arg.fieldName, arg.fieldDescriptor);
                    break;
                default:
                    super.visitInsn(Opcodes.ACONST_NULL);
            }
        }
    }
}
