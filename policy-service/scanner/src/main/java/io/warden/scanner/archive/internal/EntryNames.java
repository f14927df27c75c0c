package io.warden.scanner.archive.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Entry names as stored in zips: decoding them strictly as UTF-8 and recognising names that leave the root. */
public final class EntryNames {
    private EntryNames() {}

    /**
     * The name as UTF-8, from a name that the zip reader decoded as ISO-8859-1 (which maps bytes one to one).
     *
     * @return null when the stored bytes are not valid UTF-8
     */
    public static String decode(String latin1) {
        if (isAscii(latin1)) {
            return latin1;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A printable form of a name that is not UTF-8: ASCII kept, every other byte as {@code \xNN}. */
    public static String escape(String latin1) {
        StringBuilder out = new StringBuilder();
        for (char c : latin1.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02X", (int) c & 0xff));
            }
        }
        return out.toString();
    }

    /** Why a name would leave the package root if it were extracted, or null when it is safe. */
    public static String unsafeReason(String name) {
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
            return "entry name is an absolute path: " + name;
        }
        if (name.contains("..") && hasDotDotSegment(name)) {
            return "entry name escapes the package root: " + name;
        }
        if (name.indexOf('\0') >= 0) {
            return "entry name contains a NUL character: " + escape(name);
        }
        return null;
    }

    private static boolean hasDotDotSegment(String name) {
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '/' || name.charAt(i) == '\\') {
                if (i - start == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
