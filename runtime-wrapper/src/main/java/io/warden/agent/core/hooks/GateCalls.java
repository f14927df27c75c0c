package io.warden.agent.core.hooks;

import io.warden.agent.core.gate.Gate;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The gate call the handler wrapper emits through ASM: {@code WardenGate.check(hook, ...)}. The JDK hooks' gate call is
 * written into their class files by {@link GateCallPatcher}.
 */
final class GateCalls {

    private GateCalls() {}

    private static void pushHook(MethodVisitor method, Hook hook) {
        int index = hook.ordinal();
        if (index <= 5) {
            method.visitInsn(Opcodes.ICONST_0 + index);
        } else {
            method.visitIntInsn(Opcodes.BIPUSH, index);
        }
    }

    /** Expects hook, subject, argument and flags on the stack; leaves the boolean result. */
    private static void invokeCheck(MethodVisitor method) {
        method.visitMethodInsn(Opcodes.INVOKESTATIC, Gate.GATE_CLASS, Gate.CHECK_METHOD, Gate.CHECK_DESCRIPTOR, false);
    }

    /** Calls the gate for a hook that only notifies: {@code WardenGate.check(hook, slot-or-null, null, 0)}. */
    static void notify(MethodVisitor method, Hook hook, int objectSlot) {
        notify(method, hook, objectSlot, -1);
    }

    /** {@code WardenGate.check(hook, subjectSlot-or-null, argumentSlot-or-null, 0)}, its result dropped. */
    static void notify(MethodVisitor method, Hook hook, int subjectSlot, int argumentSlot) {
        pushHook(method, hook);
        loadOrNull(method, subjectSlot);
        loadOrNull(method, argumentSlot);
        method.visitInsn(Opcodes.ICONST_0);
        invokeCheck(method);
        method.visitInsn(Opcodes.POP);
    }

    private static void loadOrNull(MethodVisitor method, int slot) {
        if (slot >= 0) {
            method.visitVarInsn(Opcodes.ALOAD, slot);
        } else {
            method.visitInsn(Opcodes.ACONST_NULL);
        }
    }
}
