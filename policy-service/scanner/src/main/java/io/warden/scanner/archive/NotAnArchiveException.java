package io.warden.scanner.archive;

/**
 * The package is neither an archive (zip, jar, war) nor a directory, for example a text file or an HTML error page
 * uploaded instead of a deployment zip: it is refused rather than scanned as one file and reported clean.
 */
public final class NotAnArchiveException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAnArchiveException(String name, byte[] start, int length) {
        super(name + " is not a package: a package is a zip archive (zip, jar, war) or a directory, and this "
                + (length == 0 ? "is empty" : "starts with \"" + printable(start, length) + "\""));
    }

    /** The first bytes as text, anything but printable ASCII as {@code \xNN}. */
    private static String printable(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            text.append(
                    b >= 0x20 && b < 0x7f && b != '"' && b != '\\'
                            ? String.valueOf((char) b)
                            : String.format("\\x%02X", b));
        }
        return text.toString();
    }
}
