package io.warden.agent.core.hooks;

import io.warden.agent.core.gate.Gate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inserts {@code if (!WardenGate.check(hook, subject, argument, flags)) <fail>} at the entry of hooked JDK methods by
 * editing the class file (JVMS chapter 4): the new constants are appended to the constant pool, the call is put in
 * front of the method's code, and every code offset behind it (exception table, stack map frames, line number and local
 * variable tables) moves by its length. Everything else is copied byte for byte.
 *
 * <p>Why not ASM: the six JDK classes the JVM loads before the agent are woven while the function waits, and ASM's copy
 * of their constant pools, with loading, verifying and compiling ASM itself, cost about 27 ms of every cold start
 * (measured, docs/benchmarks.md); this costs a few. It accepts only what javac emits for the JDK's classes: anything
 * else (a code attribute it does not know, such as type annotations on code) leaves the class as it is, which the
 * agent's start-up check reports as a missing hook. Every woven class passes the JVM's own verifier
 * ({@code -XX:+BytecodeVerificationLocal} in the agent tests, on JDK 17 and 25).
 */
final class GateCallPatcher {

    /**
     * Operand stack the inserted call needs: hook, subject, argument and flags, where building a pair for the argument
     * holds the array twice, an index and a long while it is boxed.
     */
    private static final int GATE_CALL_STACK = 8;
    /** Largest method code and constant pool the JVM accepts. */
    private static final int MAX_CODE_LENGTH = 65535;

    private static final int MAX_CONSTANTS = 65535;
    private static final int MAGIC = 0xCAFEBABE;

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_INTEGER = 3;
    private static final int CONSTANT_FLOAT = 4;
    private static final int CONSTANT_LONG = 5;
    private static final int CONSTANT_DOUBLE = 6;
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_STRING = 8;
    private static final int CONSTANT_FIELDREF = 9;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_INTERFACE_METHODREF = 11;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int CONSTANT_METHOD_HANDLE = 15;
    private static final int CONSTANT_METHOD_TYPE = 16;
    private static final int CONSTANT_DYNAMIC = 17;
    private static final int CONSTANT_INVOKE_DYNAMIC = 18;
    private static final int CONSTANT_MODULE = 19;
    private static final int CONSTANT_PACKAGE = 20;

    private static final int NOP = 0x00;
    private static final int ACONST_NULL = 0x01;
    private static final int ICONST_0 = 0x03;
    private static final int ICONST_1 = 0x04;
    private static final int ICONST_2 = 0x05;
    private static final int LCONST_0 = 0x09;
    private static final int BIPUSH = 0x10;
    private static final int ILOAD = 0x15;
    private static final int ALOAD = 0x19;
    private static final int ALOAD_0 = 0x2A;
    private static final int POP = 0x57;
    private static final int IFNE = 0x9A;
    private static final int AASTORE = 0x53;
    private static final int DUP = 0x59;
    private static final int IRETURN = 0xAC;
    private static final int LRETURN = 0xAD;
    private static final int ARETURN = 0xB0;
    private static final int GETFIELD = 0xB4;
    private static final int INVOKESTATIC = 0xB8;
    private static final int ANEWARRAY = 0xBD;
    private static final int IFNONNULL = 0xC7;
    private static final int ASTORE = 0x3A;
    private static final int CHECKCAST = 0xC0;
    /** errno EACCES on Linux, what a refused stat2 or access returns. */
    private static final int EACCES = 13;

    /** Stack map frame types (JVMS 4.7.4). */
    private static final int SAME_FRAME_MAX = 63;

    private static final int SAME_LOCALS_1_STACK_ITEM = 64;
    private static final int SAME_LOCALS_1_STACK_ITEM_MAX = 127;
    private static final int SAME_LOCALS_1_STACK_ITEM_EXTENDED = 247;
    private static final int CHOP_MIN = 248;
    private static final int SAME_FRAME_EXTENDED = 251;
    private static final int APPEND_MAX = 254;
    private static final int ITEM_OBJECT = 7;
    private static final int ITEM_UNINITIALIZED = 8;

    /** The class file with the gate calls, and the hooks it now carries. */
    static final class Patched {
        final byte[] classFile;
        final Set<Hook> hooks;

        Patched(byte[] classFile, Set<Hook> hooks) {
            this.classFile = classFile;
            this.hooks = hooks;
        }
    }

    /** A class file unlike what javac produces for the JDK; the class is then left as it is. */
    static final class UnsupportedClassFile extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedClassFile(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] in;
    private final int[] constantOffsets;
    private final int constantPoolEnd;
    private final ByteArrayOutputStream appendedConstants = new ByteArrayOutputStream(256);
    private int constantCount;
    /** Indexes of constants appended so far; 0 until needed. */
    private int gateCheck;

    private int gateSubstitute;
    private int integerValueOf;
    private int longValueOf;
    private int objectClass;
    private int stackMapTableName;

    private GateCallPatcher(byte[] classFile) throws UnsupportedClassFile {
        in = classFile;
        if (u4(0) != MAGIC) {
            throw new UnsupportedClassFile("not a class file");
        }
        constantCount = u2(8);
        constantOffsets = new int[constantCount];
        int offset = 10;
        for (int index = 1; index < constantCount; index++) {
            constantOffsets[index] = offset;
            int tag = u1(offset);
            offset += 1 + constantLength(tag, offset);
            if (tag == CONSTANT_LONG || tag == CONSTANT_DOUBLE) {
                index++; // takes two entries
            }
        }
        constantPoolEnd = offset;
    }

    /**
     * Inserts the gate call of each hook into the first of the hook's descriptors that the class declares.
     *
     * @return null when the class declares none of them
     */
    static Patched patch(byte[] classFile, List<Hook> hooks) throws UnsupportedClassFile {
        try {
            return new GateCallPatcher(classFile).insertGateCalls(hooks);
        } catch (ArrayIndexOutOfBoundsException truncated) {
            throw new UnsupportedClassFile("truncated class file");
        }
    }

    private Patched insertGateCalls(List<Hook> hooks) throws UnsupportedClassFile {
        int thisClass = u2(constantPoolEnd + 2);
        int position = constantPoolEnd + 6; // access flags, this class, super class
        position += 2 + 2 * u2(position); // interfaces
        int methodsStart = skipMembers(position); // fields
        int methodsEnd = skipMembers(methodsStart);
        Hook[] hookOfMethod = chooseMethods(methodsStart, hooks);
        if (hookOfMethod == null) {
            return null;
        }
        ByteArrayOutputStream methods = new ByteArrayOutputStream(methodsEnd - methodsStart + 256);
        Set<Hook> woven = new HashSet<>(); // not an EnumSet: see HookTransformer#installed
        position = methodsStart + 2;
        for (Hook hook : hookOfMethod) {
            int attributes = u2(position + 6);
            methods.write(in, position, 8);
            position += 8;
            for (int attribute = 0; attribute < attributes; attribute++) {
                int end = position + 6 + u4(position + 2);
                if (hook != null && utf8Equals(u2(position), "Code")) {
                    writeBytes(methods, patchCode(position, hook, thisClass));
                    woven.add(hook);
                } else {
                    methods.write(in, position, end - position);
                }
                position = end;
            }
        }
        if (woven.isEmpty()) {
            return null; // only methods without code (native or abstract) matched
        }
        if (constantCount > MAX_CONSTANTS) {
            throw new UnsupportedClassFile("too many constants");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + appendedConstants.size() + 256);
        out.write(in, 0, 8);
        writeU2(out, constantCount);
        out.write(in, 10, constantPoolEnd - 10);
        writeBytes(out, appendedConstants.toByteArray());
        out.write(in, constantPoolEnd, methodsStart + 2 - constantPoolEnd);
        writeBytes(out, methods.toByteArray());
        out.write(in, methodsEnd, in.length - methodsEnd);
        return new Patched(out.toByteArray(), woven);
    }

    /** Per method, in declaration order: the hook to weave into it, or null; null when no method has one. */
    private Hook[] chooseMethods(int methodsStart, List<Hook> hooks) {
        int count = u2(methodsStart);
        int[] names = new int[count];
        int[] descriptors = new int[count];
        int position = methodsStart + 2;
        for (int method = 0; method < count; method++) {
            names[method] = u2(position + 2);
            descriptors[method] = u2(position + 4);
            position = skipAttributes(position + 6);
        }
        Hook[] chosen = new Hook[count];
        boolean any = false;
        for (Hook hook : hooks) {
            int method = firstDeclared(hook, names, descriptors);
            if (method >= 0) {
                chosen[method] = hook;
                any = true;
            }
        }
        return any ? chosen : null;
    }

    private int firstDeclared(Hook hook, int[] names, int[] descriptors) {
        for (String descriptor : hook.descriptors) {
            for (int method = 0; method < names.length; method++) {
                if (utf8Equals(names[method], hook.method) && utf8Equals(descriptors[method], descriptor)) {
                    return method;
                }
            }
        }
        return -1;
    }

    /** The method's Code attribute (starting at {@code attribute}) with the gate call in front of its code. */
    private byte[] patchCode(int attribute, Hook hook, int thisClass) throws UnsupportedClassFile {
        int maxStack = u2(attribute + 6);
        int maxLocals = u2(attribute + 8);
        int codeLength = u4(attribute + 10);
        int code = attribute + 14;
        byte[] prologue = prologue(hook, thisClass);
        int shift = prologue.length;
        if (codeLength + shift > MAX_CODE_LENGTH) {
            throw new UnsupportedClassFile("method too large");
        }
        boolean branches = (hook.failure != Hook.Failure.THROW && hook.failure != Hook.Failure.SUBSTITUTE)
                || hook.onlyWhenNull.kind == Hook.Arg.Kind.FIELD;

        ByteArrayOutputStream body = new ByteArrayOutputStream(codeLength + shift + 128);
        writeU2(body, Math.max(maxStack, GATE_CALL_STACK));
        writeU2(body, maxLocals);
        writeU4(body, codeLength + shift);
        writeBytes(body, prologue);
        body.write(in, code, codeLength);
        int position = code + codeLength;
        int handlers = u2(position);
        writeU2(body, handlers);
        position += 2;
        for (int i = 0; i < handlers; i++, position += 8) {
            writeU2(body, u2(position) + shift); // start
            writeU2(body, u2(position + 2) + shift); // end
            writeU2(body, u2(position + 4) + shift); // handler
            writeU2(body, u2(position + 6)); // catch type
        }
        int attributes = u2(position);
        position += 2;
        ByteArrayOutputStream codeAttributes = new ByteArrayOutputStream(256);
        int written = 0;
        boolean stackMapSeen = false;
        for (int i = 0; i < attributes; i++) {
            int name = u2(position);
            int data = position + 6;
            int end = data + u4(position + 2);
            if (utf8Equals(name, "StackMapTable")) {
                writeAttribute(codeAttributes, name, stackMapTable(data, shift, branches));
                stackMapSeen = true;
            } else if (utf8Equals(name, "LineNumberTable")) {
                writeAttribute(codeAttributes, name, shiftedTable(data, end, 4, shift, false));
            } else if (utf8Equals(name, "LocalVariableTable") || utf8Equals(name, "LocalVariableTypeTable")) {
                writeAttribute(codeAttributes, name, shiftedTable(data, end, 10, shift, true));
            } else {
                throw new UnsupportedClassFile(
                        "code attribute " + utf8(name) + " in " + hook.owner + "." + hook.method);
            }
            written++;
            position = end;
        }
        if (branches && !stackMapSeen) {
            ByteArrayOutputStream table = new ByteArrayOutputStream(8);
            writeU2(table, 1);
            writeSameFrame(table, shift);
            writeAttribute(codeAttributes, stackMapTableName(), table.toByteArray());
            written++;
        }
        writeU2(body, written);
        writeBytes(body, codeAttributes.toByteArray());

        ByteArrayOutputStream patched = new ByteArrayOutputStream(body.size() + 6);
        writeU2(patched, u2(attribute));
        writeU4(patched, body.size());
        writeBytes(patched, body.toByteArray());
        return patched.toByteArray();
    }

    /**
     * The inserted code: NOPs so that its length is a multiple of four (tableswitch and lookupswitch pad to four-byte
     * boundaries of the code), the call, and the failure. Its one branch target, if any, is its end: the original code.
     */
    private byte[] prologue(Hook hook, int thisClass) {
        ByteArrayOutputStream call = new ByteArrayOutputStream(32);
        int fieldGuard = -1;
        if (hook.onlyWhenNull.kind == Hook.Arg.Kind.FIELD) {
            pushObject(call, hook.onlyWhenNull, thisClass);
            fieldGuard = call.size();
            call.write(IFNONNULL);
            writeU2(call, 0); // patched below, once the length is known
        }
        int ordinal = hook.ordinal();
        if (ordinal <= 5) {
            call.write(ICONST_0 + ordinal);
        } else {
            call.write(BIPUSH);
            call.write(ordinal);
        }
        pushObject(call, hook.subject, thisClass);
        pushObject(call, hook.argument, thisClass);
        if (hook.flags.kind == Hook.Arg.Kind.NONE) {
            call.write(ICONST_0);
        } else {
            pushValue(call, hook.flags, thisClass); // an int or boolean
        }
        int failureBranch = -1;
        call.write(INVOKESTATIC);
        if (hook.failure == Hook.Failure.SUBSTITUTE) {
            // subject = (Type) WardenGate.substitute(...): the method goes on with what the gate returns, and a
            // blocked operation throws from the gate.
            writeU2(call, gateSubstitute());
            call.write(CHECKCAST);
            writeU2(call, classRef(hook.subject.replacedType));
            call.write(ASTORE);
            call.write(hook.subject.slot);
        } else if (hook.failure == Hook.Failure.THROW) {
            writeU2(call, gateCheck());
            call.write(POP);
        } else {
            writeU2(call, gateCheck());
            failureBranch = call.size();
            call.write(IFNE);
            writeU2(call, 0);
            switch (hook.failure) {
                case RETURN_FALSE:
                    call.write(ICONST_0);
                    call.write(IRETURN);
                    break;
                case RETURN_ZERO_LONG:
                    call.write(LCONST_0);
                    call.write(LRETURN);
                    break;
                case RETURN_EACCES:
                    call.write(BIPUSH);
                    call.write(EACCES);
                    call.write(IRETURN);
                    break;
                default:
                    call.write(ACONST_NULL);
                    call.write(ARETURN);
            }
        }
        int padding = (4 - call.size() % 4) % 4;
        byte[] prologue = new byte[padding + call.size()];
        for (int i = 0; i < padding; i++) {
            prologue[i] = NOP;
        }
        System.arraycopy(call.toByteArray(), 0, prologue, padding, call.size());
        int end = prologue.length;
        for (int branch : new int[] {fieldGuard, failureBranch}) {
            if (branch >= 0) {
                int at = padding + branch;
                int offset = end - at;
                prologue[at + 1] = (byte) (offset >>> 8);
                prologue[at + 2] = (byte) offset;
            }
        }
        return prologue;
    }

    /** Pushes the argument as an object: ints, booleans and longs boxed, nothing as null. */
    private void pushObject(ByteArrayOutputStream call, Hook.Arg arg, int thisClass) {
        switch (arg.kind) {
            case NONE:
                call.write(ACONST_NULL);
                return;
            case PAIR:
                call.write(ICONST_2);
                call.write(ANEWARRAY);
                writeU2(call, objectClass());
                call.write(DUP);
                call.write(ICONST_0);
                pushObject(call, arg.first, thisClass);
                call.write(AASTORE);
                call.write(DUP);
                call.write(ICONST_1);
                pushObject(call, arg.second, thisClass);
                call.write(AASTORE);
                return;
            default:
                pushValue(call, arg, thisClass);
                String type = arg.valueDescriptor();
                if (type.equals("I") || type.equals("Z")) {
                    call.write(INVOKESTATIC);
                    writeU2(call, integerValueOf());
                } else if (type.equals("J")) {
                    call.write(INVOKESTATIC);
                    writeU2(call, longValueOf());
                }
        }
    }

    /** Pushes a slot or a field chain's value as it is. */
    private void pushValue(ByteArrayOutputStream call, Hook.Arg arg, int thisClass) {
        if (arg.kind == Hook.Arg.Kind.CALL) {
            String[] method = arg.fields.get(0);
            call.write(INVOKESTATIC);
            writeU2(call, memberRef(CONSTANT_METHODREF, classRef(method[0]), method[1], method[2]));
            return;
        }
        if (arg.kind == Hook.Arg.Kind.INT) {
            load(call, ILOAD, arg.slot);
            return;
        }
        if (arg.kind == Hook.Arg.Kind.FIELD && arg.slot == 0) {
            call.write(ALOAD_0);
        } else {
            load(call, ALOAD, arg.slot);
        }
        if (arg.kind == Hook.Arg.Kind.FIELD) {
            for (String[] field : arg.fields) {
                call.write(GETFIELD);
                int owner = field[0] == null ? thisClass : classRef(field[0]);
                writeU2(call, memberRef(CONSTANT_FIELDREF, owner, field[1], field[2]));
            }
        }
    }

    /** {@code iload} or {@code aload} of a slot; the hooks' slots are all below 256. */
    private static void load(ByteArrayOutputStream call, int opcode, int slot) {
        call.write(opcode);
        call.write(slot);
    }

    /**
     * The method's stack map frames, moved by {@code shift}; with {@code branches}, first a frame for the end of the
     * inserted code, where the locals are still the method's parameters and the stack is empty.
     */
    private byte[] stackMapTable(int data, int shift, boolean branches) throws UnsupportedClassFile {
        int frames = u2(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(frames * 8 + 8);
        int position = data + 2;
        int firstDelta = frames == 0 ? -1 : frameDelta(position);
        // A frame already at the original code's first instruction also describes the inserted code's end: the
        // method's entry state flows into it.
        boolean addFrame = branches && firstDelta != 0;
        writeU2(out, frames + (addFrame ? 1 : 0));
        if (addFrame) {
            writeSameFrame(out, shift);
        }
        for (int frame = 0; frame < frames; frame++) {
            int type = u1(position);
            int delta = frameDelta(position);
            if (frame == 0) {
                // The first frame's delta is its offset; after an added frame, the distance to that frame minus one.
                delta = addFrame ? firstDelta - 1 : firstDelta + shift;
            }
            position = copyFrame(out, position, type, delta, shift);
        }
        return out.toByteArray();
    }

    private int frameDelta(int frame) throws UnsupportedClassFile {
        int type = u1(frame);
        if (type <= SAME_FRAME_MAX) {
            return type;
        }
        if (type <= SAME_LOCALS_1_STACK_ITEM_MAX) {
            return type - SAME_LOCALS_1_STACK_ITEM;
        }
        if (type < SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
            throw new UnsupportedClassFile("reserved stack map frame type " + type);
        }
        return u2(frame + 1);
    }

    /** Writes one frame with a new offset delta, moving the offsets of uninitialized objects; returns the next frame. */
    private int copyFrame(ByteArrayOutputStream out, int frame, int type, int delta, int shift) {
        if (type <= SAME_FRAME_MAX || type == SAME_FRAME_EXTENDED) {
            writeSameFrame(out, delta);
            return frame + (type <= SAME_FRAME_MAX ? 1 : 3);
        }
        if (type <= SAME_LOCALS_1_STACK_ITEM_MAX || type == SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
            if (delta <= SAME_FRAME_MAX) {
                out.write(SAME_LOCALS_1_STACK_ITEM + delta);
            } else {
                out.write(SAME_LOCALS_1_STACK_ITEM_EXTENDED);
                writeU2(out, delta);
            }
            return copyVerificationTypes(out, frame + (type <= SAME_LOCALS_1_STACK_ITEM_MAX ? 1 : 3), 1, shift);
        }
        out.write(type);
        writeU2(out, delta);
        int position = frame + 3;
        if (type >= CHOP_MIN && type < SAME_FRAME_EXTENDED) {
            return position;
        }
        if (type <= APPEND_MAX) {
            return copyVerificationTypes(out, position, type - SAME_FRAME_EXTENDED, shift);
        }
        int locals = u2(position);
        writeU2(out, locals);
        position = copyVerificationTypes(out, position + 2, locals, shift);
        int stack = u2(position);
        writeU2(out, stack);
        return copyVerificationTypes(out, position + 2, stack, shift);
    }

    private int copyVerificationTypes(ByteArrayOutputStream out, int position, int count, int shift) {
        for (int i = 0; i < count; i++) {
            int tag = u1(position);
            out.write(tag);
            if (tag == ITEM_OBJECT) {
                writeU2(out, u2(position + 1));
                position += 3;
            } else if (tag == ITEM_UNINITIALIZED) {
                writeU2(out, u2(position + 1) + shift); // the offset of its `new` instruction
                position += 3;
            } else {
                position += 1;
            }
        }
        return position;
    }

    /**
     * A line number (entry size 4) or local variable table (size 10) with its start offsets moved; a local variable
     * that starts with the method keeps starting there and covers the inserted code too.
     */
    private byte[] shiftedTable(int data, int end, int entrySize, int shift, boolean hasLength) {
        byte[] table = new byte[end - data];
        System.arraycopy(in, data, table, 0, table.length);
        int entries = u2(data);
        for (int i = 0, at = 2; i < entries; i++, at += entrySize) {
            int start = ((table[at] & 0xFF) << 8) | (table[at + 1] & 0xFF);
            if (hasLength && start == 0) {
                int length = (((table[at + 2] & 0xFF) << 8) | (table[at + 3] & 0xFF)) + shift;
                table[at + 2] = (byte) (length >>> 8);
                table[at + 3] = (byte) length;
            } else {
                start += shift;
                table[at] = (byte) (start >>> 8);
                table[at + 1] = (byte) start;
            }
        }
        return table;
    }

    private static void writeSameFrame(ByteArrayOutputStream out, int delta) {
        if (delta <= SAME_FRAME_MAX) {
            out.write(delta);
        } else {
            out.write(SAME_FRAME_EXTENDED);
            writeU2(out, delta);
        }
    }

    private static void writeAttribute(ByteArrayOutputStream out, int name, byte[] data) {
        writeU2(out, name);
        writeU4(out, data.length);
        writeBytes(out, data);
    }

    // Constants appended on first use.

    private int gateCheck() {
        if (gateCheck == 0) {
            gateCheck =
                    memberRef(CONSTANT_METHODREF, classRef(Gate.GATE_CLASS), Gate.CHECK_METHOD, Gate.CHECK_DESCRIPTOR);
        }
        return gateCheck;
    }

    private int gateSubstitute() {
        if (gateSubstitute == 0) {
            gateSubstitute = memberRef(
                    CONSTANT_METHODREF, classRef(Gate.GATE_CLASS), Gate.SUBSTITUTE_METHOD, Gate.SUBSTITUTE_DESCRIPTOR);
        }
        return gateSubstitute;
    }

    private int integerValueOf() {
        if (integerValueOf == 0) {
            integerValueOf =
                    memberRef(CONSTANT_METHODREF, classRef("java/lang/Integer"), "valueOf", "(I)Ljava/lang/Integer;");
        }
        return integerValueOf;
    }

    private int longValueOf() {
        if (longValueOf == 0) {
            longValueOf = memberRef(CONSTANT_METHODREF, classRef("java/lang/Long"), "valueOf", "(J)Ljava/lang/Long;");
        }
        return longValueOf;
    }

    private int objectClass() {
        if (objectClass == 0) {
            objectClass = classRef("java/lang/Object");
        }
        return objectClass;
    }

    private int stackMapTableName() {
        if (stackMapTableName == 0) {
            for (int index = 1; index < constantOffsets.length; index++) {
                if (utf8Equals(index, "StackMapTable")) {
                    stackMapTableName = index;
                    return index;
                }
            }
            stackMapTableName = appendUtf8("StackMapTable");
        }
        return stackMapTableName;
    }

    private int memberRef(int tag, int owner, String name, String descriptor) {
        int nameAndType = appendConstant(CONSTANT_NAME_AND_TYPE, appendUtf8(name), appendUtf8(descriptor));
        return appendConstant(tag, owner, nameAndType);
    }

    private int classRef(String internalName) {
        int name = appendUtf8(internalName);
        appendedConstants.write(CONSTANT_CLASS);
        writeU2(appendedConstants, name);
        return constantCount++;
    }

    private int appendConstant(int tag, int first, int second) {
        appendedConstants.write(tag);
        writeU2(appendedConstants, first);
        writeU2(appendedConstants, second);
        return constantCount++;
    }

    /** The names and descriptors appended are ASCII, where modified UTF-8 is one byte per character. */
    private int appendUtf8(String ascii) {
        appendedConstants.write(CONSTANT_UTF8);
        writeU2(appendedConstants, ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            appendedConstants.write(ascii.charAt(i));
        }
        return constantCount++;
    }

    // Reading.

    private int constantLength(int tag, int offset) throws UnsupportedClassFile {
        switch (tag) {
            case CONSTANT_UTF8:
                return 2 + u2(offset + 1);
            case CONSTANT_CLASS:
            case CONSTANT_STRING:
            case CONSTANT_METHOD_TYPE:
            case CONSTANT_MODULE:
            case CONSTANT_PACKAGE:
                return 2;
            case CONSTANT_METHOD_HANDLE:
                return 3;
            case CONSTANT_INTEGER:
            case CONSTANT_FLOAT:
            case CONSTANT_FIELDREF:
            case CONSTANT_METHODREF:
            case CONSTANT_INTERFACE_METHODREF:
            case CONSTANT_NAME_AND_TYPE:
            case CONSTANT_DYNAMIC:
            case CONSTANT_INVOKE_DYNAMIC:
                return 4;
            case CONSTANT_LONG:
            case CONSTANT_DOUBLE:
                return 8;
            default:
                throw new UnsupportedClassFile("constant pool tag " + tag);
        }
    }

    /** Skips a fields or methods table; returns the position after it. */
    private int skipMembers(int position) {
        int count = u2(position);
        position += 2;
        for (int i = 0; i < count; i++) {
            position = skipAttributes(position + 6);
        }
        return position;
    }

    /** Skips an attribute count and its attributes; returns the position after them. */
    private int skipAttributes(int position) {
        int count = u2(position);
        position += 2;
        for (int i = 0; i < count; i++) {
            position += 6 + u4(position + 2);
        }
        return position;
    }

    private boolean utf8Equals(int index, String ascii) {
        if (index <= 0 || index >= constantOffsets.length) {
            return false;
        }
        int offset = constantOffsets[index];
        if (offset == 0 || u1(offset) != CONSTANT_UTF8 || u2(offset + 1) != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (in[offset + 3 + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** For messages only. */
    private String utf8(int index) {
        int offset = constantOffsets[index];
        return new String(in, offset + 3, u2(offset + 1), StandardCharsets.ISO_8859_1);
    }

    private int u1(int offset) {
        return in[offset] & 0xFF;
    }

    private int u2(int offset) {
        return ((in[offset] & 0xFF) << 8) | (in[offset + 1] & 0xFF);
    }

    private int u4(int offset) {
        return ((in[offset] & 0xFF) << 24)
                | ((in[offset + 1] & 0xFF) << 16)
                | ((in[offset + 2] & 0xFF) << 8)
                | (in[offset + 3] & 0xFF);
    }

    private static void writeU2(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeU4(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
