package io.warden.agent.core.hooks;

import io.warden.agent.core.report.ViolationReporter;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the AWS SDKs for Java at the one point every call of every client passes once it ended, as the SDK's class
 * loads (only when the policy learns), and verifies it wove there:
 *
 * <ul>
 *   <li>v2: {@code ExecutionInterceptorChain} (sync and async, any HTTP client), on entry of {@code afterExecution} and
 *       {@code onExecutionFailure}: the gate gets the call's context and execution attributes ({@link Hook#AWS_CALL},
 *       {@link Hook#AWS_CALL_FAILED});
 *   <li>v1: {@code AmazonHttpClient$RequestExecutor}, through which every client (its async clients run the sync one on
 *       an executor) sends its marshalled request, on entry of {@code afterResponse} and {@code afterError}, the steps
 *       that run the {@code RequestHandler2} chain once the call (retries included) succeeded or failed: the gate gets
 *       the executor itself, whose fields hold the request, and a failure's exception ({@link Hook#AWS_V1_CALL},
 *       {@link Hook#AWS_V1_CALL_FAILED}).
 * </ul>
 *
 * The woven code calls only {@code java.lang.WardenGate}, which every class loader sees: nothing is added to the
 * function's class path, and no interceptor or request handler of Warden's is registered with the SDK. A hook that did
 * not weave (an SDK version that changed the method) is reported as an error line and an {@code AgentFailed} metric;
 * the function runs on, its calls through that SDK unobserved.
 */
public final class AwsSdkTransformer implements ClassFileTransformer {

    static final String V2_CHAIN = "software/amazon/awssdk/core/interceptor/ExecutionInterceptorChain";
    static final String V1_EXECUTOR = "com/amazonaws/http/AmazonHttpClient$RequestExecutor";
    private static final String V2_AFTER_EXECUTION = "(Lsoftware/amazon/awssdk/core/interceptor/Context$AfterExecution;"
            + "Lsoftware/amazon/awssdk/core/interceptor/ExecutionAttributes;)V";
    private static final String V2_ON_FAILURE = "(Lsoftware/amazon/awssdk/core/interceptor/Context$FailedExecution;"
            + "Lsoftware/amazon/awssdk/core/interceptor/ExecutionAttributes;)V";
    private static final String V1_AFTER_RESPONSE = "(Lcom/amazonaws/Response;)V";
    private static final String V1_AFTER_ERROR = "(Lcom/amazonaws/Response;Lcom/amazonaws/AmazonClientException;)V";

    private final ViolationReporter reporter;

    public AwsSdkTransformer(ViolationReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (loader == null || !(V2_CHAIN.equals(className) || V1_EXECUTOR.equals(className))) {
            return null;
        }
        List<Hook> woven = new ArrayList<>(2);
        byte[] result;
        try {
            result = weave(classfileBuffer, woven);
        } catch (RuntimeException malformed) {
            // Leave the SDK as it is: its calls then go unobserved, and the function runs as without Warden.
            woven.clear();
            result = null;
        }
        List<String> missing = missing(className, woven);
        if (!missing.isEmpty()) {
            reporter.sdkHooksNotWoven(className.replace('/', '.'), missing);
        }
        return woven.isEmpty() ? null : result;
    }

    /** The hooks expected in the SDK's class that are not among those woven, as {@code NAME (method)}. */
    static List<String> missing(String className, List<Hook> woven) {
        Hook[] expected = V2_CHAIN.equals(className)
                ? new Hook[] {Hook.AWS_CALL, Hook.AWS_CALL_FAILED}
                : new Hook[] {Hook.AWS_V1_CALL, Hook.AWS_V1_CALL_FAILED};
        List<String> missing = new ArrayList<>(2);
        for (Hook hook : expected) {
            if (!woven.contains(hook)) {
                missing.add(hook.name() + " (" + methodOf(hook) + ")");
            }
        }
        return missing;
    }

    private static String methodOf(Hook hook) {
        switch (hook) {
            case AWS_CALL:
                return "afterExecution";
            case AWS_CALL_FAILED:
                return "onExecutionFailure";
            case AWS_V1_CALL:
                return "afterResponse";
            default:
                return "afterError";
        }
    }

    /** Weaves the SDK class; {@code woven} gets the hooks it wove (each method matched by name and descriptor). */
    static byte[] weave(byte[] classFile, List<Hook> woven) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean v1 = reader.getClassName().equals(V1_EXECUTOR);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                        boolean instance = (access & Opcodes.ACC_STATIC) == 0;
                        if (v1) {
                            if (instance && name.equals("afterResponse") && descriptor.equals(V1_AFTER_RESPONSE)) {
                                return new EntryCall(visitor, Hook.AWS_V1_CALL, 0, -1, woven);
                            }
                            if (instance && name.equals("afterError") && descriptor.equals(V1_AFTER_ERROR)) {
                                return new EntryCall(visitor, Hook.AWS_V1_CALL_FAILED, 0, 2, woven);
                            }
                        } else {
                            if (instance && name.equals("afterExecution") && descriptor.equals(V2_AFTER_EXECUTION)) {
                                return new EntryCall(visitor, Hook.AWS_CALL, 1, 2, woven);
                            }
                            if (instance && name.equals("onExecutionFailure") && descriptor.equals(V2_ON_FAILURE)) {
                                return new EntryCall(visitor, Hook.AWS_CALL_FAILED, 1, 2, woven);
                            }
                        }
                        return visitor;
                    }
                },
                0);
        return writer.toByteArray();
    }

    /** {@code WardenGate.check(hook, subject, argument, 0)} on entry; the result is ignored. */
    private static final class EntryCall extends MethodVisitor {
        private final Hook hook;
        private final int subjectSlot;
        private final int argumentSlot;
        private final List<Hook> woven;

        EntryCall(MethodVisitor visitor, Hook hook, int subjectSlot, int argumentSlot, List<Hook> woven) {
            super(Opcodes.ASM9, visitor);
            this.hook = hook;
            this.subjectSlot = subjectSlot;
            this.argumentSlot = argumentSlot;
            this.woven = woven;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            GateCalls.notify(this, hook, subjectSlot, argumentSlot);
            woven.add(hook);
        }
    }
}
