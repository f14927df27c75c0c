package io.warden.scanner.secrets;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The string constants (string literals) of a class file, read from its constant pool (JVMS 4.4). */
final class ClassConstants {
    private static final int MAGIC = 0xCAFEBABE;

    private ClassConstants() {}

    /**
     * The string literals of at least {@code minLength} bytes; empty for bytes that are not a class file or whose
     * constant pool is malformed.
     */
    static List<String> stringLiterals(byte[] b, int minLength) {
        if (b.length < 10 || readInt(b, 0) != MAGIC) {
            return List.of();
        }
        int count = readShort(b, 8);
        int[] utf8Offset = new int[count];
        int[] stringRefs = new int[count];
        int strings = 0;
        int p = 10;
        try {
            for (int i = 1; i < count; i++) {
                int tag = b[p] & 0xff;
                switch (tag) {
                    case 1 -> {
                        utf8Offset[i] = p + 1;
                        p += 3 + readShort(b, p + 1);
                    }
                    case 8 -> {
                        stringRefs[strings++] = readShort(b, p + 1);
                        p += 3;
                    }
                    case 7, 16, 19, 20 -> p += 3;
                    case 15 -> p += 4;
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                    case 5, 6 -> {
                        p += 9;
                        i++;
                    }
                    default -> {
                        return List.of();
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return List.of();
        }
        List<String> literals = new ArrayList<>();
        for (int s = 0; s < strings; s++) {
            int index = stringRefs[s];
            if (index <= 0 || index >= count || utf8Offset[index] == 0) {
                continue;
            }
            int at = utf8Offset[index];
            int length = readShort(b, at);
            if (length >= minLength && at + 2 + length <= b.length) {
                literals.add(decode(b, at, length));
            }
        }
        return literals;
    }

    /** Modified UTF-8 (JVMS 4.4.7); ASCII, by far the common case, is copied directly. */
    private static String decode(byte[] b, int at, int length) {
        boolean ascii = true;
        for (int i = at + 2; i < at + 2 + length; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, at + 2, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return new DataInputStream(new ByteArrayInputStream(b, at, length + 2)).readUTF();
        } catch (IOException malformed) {
            return new String(b, at + 2, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static int readShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int readInt(byte[] b, int at) {
        return (readShort(b, at) << 16) | readShort(b, at + 2);
    }
}
