package io.warden.scanner.catalog.java;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A fingerprint of a class that survives package relocation (maven-shade {@code relocations}, Gradle shadow): a hash
 * of the class's structure (its fields, its methods and their instructions, in order) and constants, with every
 * package prefix removed from names, descriptors and string constants, so that {@code org/apache/x/Foo} and
 * {@code com/vendor/shaded/org/apache/x/Foo} read the same. Debug information (line numbers, local variable names)
 * and stack map frames are left out: they do not change what the class does.
 */
public final class ClassShape {
    private static final HexFormat HEX = HexFormat.of();

    private ClassShape() {}

    /** The fingerprint (16 hex digits) of a class file, or null when the bytes are not a readable class file. */
    public static String fingerprint(byte[] classFile) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        Canonical canonical = new Canonical(digest);
        try {
            new ClassReader(classFile).accept(canonical, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException unreadable) {
            return null;
        }
        return HEX.formatHex(digest.digest(), 0, 8);
    }

    /**
     * The value without package prefixes: every run of identifiers each followed by '/' or '.' and then by another
     * identifier is dropped ({@code com/vendor/shaded/org/x/Foo} and {@code org.x.Foo} both become {@code Foo}).
     * One pass, in time linear in the value: a class's constants are the input of whoever wrote the class, and a
     * regular expression would take quadratic time over a long run of letters.
     */
    static String normalize(String value) {
        if (value == null) {
            return "";
        }
        int n = value.length();
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            if (!isIdentifierStart(value.charAt(i))) {
                out.append(value.charAt(i++));
                continue;
            }
            int keepFrom = -1;
            int segment = i;
            while (true) {
                int end = segment + 1;
                while (end < n && isIdentifierPart(value.charAt(end))) {
                    end++;
                }
                boolean prefix = end + 1 < n
                        && (value.charAt(end) == '/' || value.charAt(end) == '.')
                        && isIdentifierStart(value.charAt(end + 1));
                if (!prefix) {
                    if (keepFrom < 0) {
                        out.append(value, i, end);
                        i = end;
                    } else {
                        i = keepFrom;
                    }
                    break;
                }
                keepFrom = end + 1;
                segment = end + 1;
            }
        }
        return out.toString();
    }

    private static boolean isIdentifierStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9';
    }

    /** Feeds every structural element and constant, normalized, to the digest. */
    private static final class Canonical extends ClassVisitor {
        private final MessageDigest digest;

        Canonical(MessageDigest digest) {
            super(Opcodes.ASM9);
            this.digest = digest;
        }

        void put(Object... parts) {
            for (Object part : parts) {
                String text;
                if (part instanceof String s) {
                    text = normalize(s);
                } else if (part instanceof Type t) {
                    text = "T" + normalize(t.getDescriptor());
                } else if (part instanceof Handle h) {
                    text = "H" + h.getTag() + normalize(h.getOwner()) + "." + h.getName() + normalize(h.getDesc());
                } else if (part instanceof String[] all) {
                    StringBuilder joined = new StringBuilder();
                    for (String s : all) {
                        joined.append(normalize(s)).append(',');
                    }
                    text = joined.toString();
                } else {
                    text = String.valueOf(part);
                }
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            digest.update((byte) '\n');
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            put("class", access, name, superName, interfaces == null ? new String[0] : interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            put("field", access, name, descriptor, value == null ? "" : value);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            put("method", access, name, descriptor);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitInsn(int opcode) {
                    put(opcode);
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    put(opcode, operand);
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    put(opcode, var);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    put(opcode, type);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    put(opcode, owner, name, descriptor);
                }

                @Override
                public void visitMethodInsn(
                        int opcode, String owner, String name, String descriptor, boolean isInterface) {
                    put(opcode, owner, name, descriptor);
                }

                @Override
                public void visitInvokeDynamicInsn(
                        String name, String descriptor, Handle bootstrap, Object... arguments) {
                    put("indy", name, descriptor, bootstrap);
                    put(arguments);
                }

                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    put(opcode);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    put("ldc", value);
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    put("iinc", var, increment);
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                    put("tableswitch", min, max);
                }

                @Override
                public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                    put("lookupswitch", Arrays.toString(keys));
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                    put("multianewarray", descriptor, dimensions);
                }
            };
        }
    }
}
