package io.warden.agent.core.hooks;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Wraps the function's handler, the method {@code _HANDLER} names, so that each invocation runs in a Warden invocation
 * scope: {@link Hook#INVOCATION_START} on entry (with the Lambda {@code Context} argument when the method takes one) and
 * {@link Hook#INVOCATION_END} on every exit, normal or by exception. The runtime client's adapter for plain handler
 * methods is wrapped too, because it always has the Context even when the function's method does not; the nested
 * scope of the function's method then joins the adapter's.
 */
public final class HandlerTransformer implements ClassFileTransformer {

    static final String CONTEXT_TYPE = "com/amazonaws/services/lambda/runtime/Context";
    /** The runtime client's adapter that calls plain handler methods ({@code pkg.Class::method} with any signature). */
    static final String RUNTIME_POJO_ADAPTER =
            "com/amazonaws/services/lambda/runtime/api/client/EventHandlerLoader$PojoMethodRequestHandler";

    static final String RUNTIME_POJO_ADAPTER_METHOD = "handleRequest";

    private final String handlerClass;
    private final String handlerMethod;

    /**
     * @param handlerClass binary name of the handler class
     * @param handlerMethod the method to wrap ({@code handleRequest} when {@code _HANDLER} names only a class)
     */
    public HandlerTransformer(String handlerClass, String handlerMethod) {
        this.handlerClass = handlerClass.replace('.', '/');
        this.handlerMethod = handlerMethod;
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (className == null || loader == null) {
            return null;
        }
        try {
            if (className.equals(handlerClass)) {
                return wrap(classfileBuffer, handlerMethod);
            }
            if (className.equals(RUNTIME_POJO_ADAPTER)) {
                return wrap(classfileBuffer, RUNTIME_POJO_ADAPTER_METHOD);
            }
        } catch (RuntimeException malformed) {
            // Leave the class as it is: the function must run even if Warden cannot scope its invocations.
        }
        return null;
    }

    private static byte[] wrap(byte[] classFile, String methodName) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        String owner = reader.getClassName();
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                        boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
                        return hasCode && name.equals(methodName)
                                ? new InvocationScope(visitor, owner, access, descriptor)
                                : visitor;
                    }
                },
                ClassReader.EXPAND_FRAMES); // the handler frame below is a full frame, so every frame must be one
        return writer.toByteArray();
    }

    /** {@code start(context); try { body } finally { end(); }}, with the finally inlined before each return. */
    private static final class InvocationScope extends MethodVisitor {
        private final String owner;
        private final boolean isStatic;
        private final Type[] parameters;
        private final Label bodyStart = new Label();

        InvocationScope(MethodVisitor visitor, String owner, int access, String descriptor) {
            super(Opcodes.ASM9, visitor);
            this.owner = owner;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.parameters = Type.getArgumentTypes(descriptor);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            GateCalls.notify(this, Hook.INVOCATION_START, contextSlot());
            super.visitLabel(bodyStart);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                GateCalls.notify(this, Hook.INVOCATION_END, -1);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label handler = new Label();
            super.visitTryCatchBlock(bodyStart, handler, handler, null);
            super.visitLabel(handler);
            Object[] locals = entryLocals();
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            GateCalls.notify(this, Hook.INVOCATION_END, -1);
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }

        /** The local variable slot of the first Context parameter, or -1. */
        private int contextSlot() {
            int slot = isStatic ? 0 : 1;
            for (Type parameter : parameters) {
                if (parameter.getSort() == Type.OBJECT
                        && parameter.getInternalName().equals(CONTEXT_TYPE)) {
                    return slot;
                }
                slot += parameter.getSize();
            }
            return -1;
        }

        /** The frame's locals at method entry, in ASM's frame notation. */
        private Object[] entryLocals() {
            List<Object> locals = new ArrayList<>();
            if (!isStatic) {
                locals.add(owner);
            }
            for (Type parameter : parameters) {
                switch (parameter.getSort()) {
                    case Type.BOOLEAN:
                    case Type.BYTE:
                    case Type.CHAR:
                    case Type.SHORT:
                    case Type.INT:
                        locals.add(Opcodes.INTEGER);
                        break;
                    case Type.FLOAT:
                        locals.add(Opcodes.FLOAT);
                        break;
                    case Type.LONG:
                        locals.add(Opcodes.LONG);
                        break;
                    case Type.DOUBLE:
                        locals.add(Opcodes.DOUBLE);
                        break;
                    default:
                        locals.add(parameter.getInternalName());
                }
            }
            return locals.toArray();
        }
    }
}
