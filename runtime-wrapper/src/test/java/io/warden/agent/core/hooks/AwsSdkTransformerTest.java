package io.warden.agent.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.agent.core.invocation.Invocations;
import io.warden.agent.core.report.ViolationReporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDKs' classes as their jars ship them (v2's {@code ExecutionInterceptorChain}, v1's
 * {@code AmazonHttpClient$RequestExecutor}), woven by the transformer: each hook found and woven, and one that an SDK
 * version no longer has reported loudly.
 */
@Tag("fast")
class AwsSdkTransformerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AwsSdkTransformer transformer =
            new AwsSdkTransformer(new ViolationReporter(out, "orders", new Invocations(null, false)));

    @Test
    void theV1ExecutorsAfterResponseAndAfterErrorCallTheGateWithTheExecutorAndTheFailure() throws IOException {
        byte[] woven = transform(AwsSdkTransformer.V1_EXECUTOR, sdkClass(AwsSdkTransformer.V1_EXECUTOR));

        assertThat(gateCalls(woven))
                .containsExactlyInAnyOrder(
                        "afterResponse: ALOAD 0, ACONST_NULL -> " + Hook.AWS_V1_CALL,
                        "afterError: ALOAD 0, ALOAD 2 -> " + Hook.AWS_V1_CALL_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theV2ChainsAfterExecutionAndOnExecutionFailureCallTheGateWithContextAndAttributes() throws IOException {
        byte[] woven = transform(AwsSdkTransformer.V2_CHAIN, sdkClass(AwsSdkTransformer.V2_CHAIN));

        assertThat(gateCalls(woven))
                .containsExactlyInAnyOrder(
                        "afterExecution: ALOAD 1, ALOAD 2 -> " + Hook.AWS_CALL,
                        "onExecutionFailure: ALOAD 1, ALOAD 2 -> " + Hook.AWS_CALL_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** An SDK version whose method changed: the other hook is woven, the missing one is an error and a metric. */
    @Test
    void aHookTheSdkNoLongerHasIsAnErrorLineAndAnAgentFailedMetric() throws IOException {
        byte[] changed = renameMethod(sdkClass(AwsSdkTransformer.V1_EXECUTOR), "afterError", "afterFailure");

        byte[] woven = transform(AwsSdkTransformer.V1_EXECUTOR, changed);

        assertThat(gateCalls(woven)).containsExactly("afterResponse: ALOAD 0, ACONST_NULL -> " + Hook.AWS_V1_CALL);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0])
                .startsWith("{\"warden\":\"error\"")
                .contains("com.amazonaws.http.AmazonHttpClient$RequestExecutor", "AWS_V1_CALL_FAILED (afterError)")
                .doesNotContain("AWS_V1_CALL (afterResponse)");
        assertThat(lines[1])
                .startsWith("{\"_aws\"")
                .contains("\"Name\":\"AgentFailed\"", "\"FunctionName\":\"orders\"");
    }

    @Test
    void aClassThatCannotBeReadIsLeftAsItIsAndReported() {
        assertThat(transform(AwsSdkTransformer.V2_CHAIN, new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1}))
                .isNull();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "\"warden\":\"error\"",
                        "AWS_CALL (afterExecution), AWS_CALL_FAILED (onExecutionFailure)",
                        "AgentFailed");
    }

    @Test
    void everyOtherClassAndTheBootLoadersAreLeftAlone() throws IOException {
        byte[] executor = sdkClass(AwsSdkTransformer.V1_EXECUTOR);
        assertThat(transformer.transform(null, getClass().getClassLoader(), "com/acme/Orders", null, null, executor))
                .isNull();
        assertThat(transformer.transform(null, null, AwsSdkTransformer.V1_EXECUTOR, null, null, executor))
                .isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private byte[] transform(String className, byte[] classFile) {
        return transformer.transform(null, getClass().getClassLoader(), className, null, null, classFile);
    }

    private static byte[] sdkClass(String internalName) throws IOException {
        try (InputStream in =
                AwsSdkTransformerTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /**
     * Each gate call in the class: the method, the two loads before the hook's index, and the hook, read from the
     * bytecode ({@code <hook index> <subject> <argument> ICONST_0 INVOKESTATIC WardenGate.check}).
     */
    private static List<String> gateCalls(byte[] classFile) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] ex) {
                                return new MethodVisitor(Opcodes.ASM9) {
                                    private final List<String> recent = new ArrayList<>();
                                    private int hookIndex = -1;

                                    @Override
                                    public void visitIntInsn(int opcode, int operand) {
                                        hookIndex = operand;
                                        recent.clear();
                                    }

                                    @Override
                                    public void visitVarInsn(int opcode, int slot) {
                                        recent.add("ALOAD " + slot);
                                    }

                                    @Override
                                    public void visitInsn(int opcode) {
                                        if (opcode == Opcodes.ACONST_NULL) {
                                            recent.add("ACONST_NULL");
                                        }
                                    }

                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String owner, String method, String desc, boolean itf) {
                                        if (owner.equals("java/lang/WardenGate")) {
                                            calls.add(name + ": " + String.join(", ", recent) + " -> "
                                                    + Hook.values()[hookIndex]);
                                        }
                                        recent.clear();
                                    }
                                };
                            }
                        },
                        0);
        return calls;
    }

    private static byte[] renameMethod(byte[] classFile, String from, String to) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] ex) {
                        return super.visitMethod(access, name.equals(from) ? to : name, descriptor, signature, ex);
                    }
                },
                0);
        return writer.toByteArray();
    }
}
