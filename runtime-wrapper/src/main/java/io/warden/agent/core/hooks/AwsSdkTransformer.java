package io.warden.agent.core.hooks;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the AWS SDK for Java v2's {@code ExecutionInterceptorChain}, through which every call of every client (sync
 * and async, any HTTP client) passes: on entry of {@code afterExecution} and {@code onExecutionFailure}, the gate gets
 * the call's context and execution attributes ({@link Hook#AWS_CALL}, {@link Hook#AWS_CALL_FAILED}). The woven code
 * calls only {@code java.lang.WardenGate}, which every class loader sees: nothing is added to the function's class
 * path, and no interceptor of Warden's is registered with the SDK. Installed only when the policy learns.
 */
public final class AwsSdkTransformer implements ClassFileTransformer {

    static final String CHAIN = "software/amazon/awssdk/core/interceptor/ExecutionInterceptorChain";
    private static final String AFTER_EXECUTION = "(Lsoftware/amazon/awssdk/core/interceptor/Context$AfterExecution;"
            + "Lsoftware/amazon/awssdk/core/interceptor/ExecutionAttributes;)V";
    private static final String ON_FAILURE = "(Lsoftware/amazon/awssdk/core/interceptor/Context$FailedExecution;"
            + "Lsoftware/amazon/awssdk/core/interceptor/ExecutionAttributes;)V";

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (loader == null || !CHAIN.equals(className)) {
            return null;
        }
        try {
            return weave(classfileBuffer);
        } catch (RuntimeException malformed) {
            // Leave the SDK as it is: its calls then go unobserved, and the function runs as without Warden.
            return null;
        }
    }

    static byte[] weave(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                        Hook hook = name.equals("afterExecution") && descriptor.equals(AFTER_EXECUTION)
                                ? Hook.AWS_CALL
                                : name.equals("onExecutionFailure") && descriptor.equals(ON_FAILURE)
                                        ? Hook.AWS_CALL_FAILED
                                        : null;
                        return hook == null ? visitor : new EntryCall(visitor, hook);
                    }
                },
                0);
        return writer.toByteArray();
    }

    /** {@code WardenGate.check(hook, context, attributes, 0)} on entry; the result is ignored. */
    private static final class EntryCall extends MethodVisitor {
        private final Hook hook;

        EntryCall(MethodVisitor visitor, Hook hook) {
            super(Opcodes.ASM9, visitor);
            this.hook = hook;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            GateCalls.notify(this, hook, 1, 2);
        }
    }
}
