package io.warden.scanner.secrets;

import io.warden.scanner.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds secrets in text files and in the string constants of class files ({@link SecretRule#ALL}). An AWS access key
 * id with a secret access key in the same file is one finding, an access key pair. Values are checked for entropy and
 * against documented examples, and reported masked.
 */
public final class SecretScanner {
    /** String constants shorter than this cannot hold any secret format Warden knows. */
    private static final int MIN_SECRET_LENGTH = 16;

    private static final int BINARY_SNIFF_BYTES = 1024;
    private static final int VISIBLE_PREFIX = 4;
    private static final Set<String> BINARY_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "ico", "bmp", "webp", "so", "dll", "dylib", "jnilib", "node", "ttf", "otf",
            "woff", "woff2", "eot", "mp3", "mp4", "wav", "pdf", "gz", "tgz", "bz2", "xz", "7z", "pyc", "ser", "bin",
            "dat");
    private static final boolean[] MARKER_START = new boolean[256];
    private static final List<byte[]> MARKERS = new ArrayList<>();

    static {
        for (SecretRule rule : SecretRule.ALL) {
            for (String marker : rule.markers()) {
                byte[] bytes = marker.getBytes(StandardCharsets.US_ASCII);
                MARKERS.add(bytes);
                MARKER_START[bytes[0] & 0xff] = true;
            }
        }
    }

    /** Whether the file at this path may hold secrets worth reading (not a known binary format). */
    public boolean wantsContent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 || !BINARY_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The secrets in one file; {@code location} names it in the findings. */
    public List<SecretFinding> scan(String path, byte[] content, String location) {
        if (path.endsWith(".class")) {
            List<String> literals = new ArrayList<>();
            for (String literal : ClassConstants.stringLiterals(content, MIN_SECRET_LENGTH)) {
                byte[] bytes = literal.getBytes(StandardCharsets.ISO_8859_1);
                if (hasMarker(bytes, bytes.length)) {
                    literals.add(literal);
                }
            }
            if (literals.isEmpty()) {
                return List.of();
            }
            // The secret key of a pair is a constant of its own, without any marker: look at all of them.
            return find(literals, ClassConstants.stringLiterals(content, 40), location, false);
        }
        if (isBinary(content) || !hasMarker(content, content.length)) {
            return List.of();
        }
        String text = new String(content, StandardCharsets.UTF_8);
        return find(List.of(text), List.of(text), location, true);
    }

    private List<SecretFinding> find(
            List<String> texts, List<String> secretKeyCandidates, String location, boolean numberLines) {
        List<SecretFinding> findings = new ArrayList<>();
        String keyId = null;
        int keyIdLine = 0;
        for (String text : texts) {
            for (SecretRule rule : SecretRule.ALL) {
                if (rule.markers().stream().noneMatch(text::contains)) {
                    continue;
                }
                Matcher m = rule.pattern().matcher(text);
                while (m.find()) {
                    String value = m.group(1);
                    if (SecretRule.allowlisted(value) || entropy(value) < rule.minEntropy()) {
                        continue;
                    }
                    int line = numberLines ? lineOf(text, m.start(1)) : 0;
                    if (rule.id().equals(SecretRule.AWS_KEY_ID) && keyId == null) {
                        keyId = value;
                        keyIdLine = line;
                    }
                    findings.add(new SecretFinding(
                            rule.id(),
                            rule.title(),
                            rule.severity(),
                            location,
                            line,
                            rule.id().equals("private-key") ? firstLine(value) + " ****" : mask(value)));
                }
            }
        }
        if (keyId != null) {
            String secret = awsSecretKey(secretKeyCandidates);
            if (secret != null) {
                String id = keyId;
                findings.removeIf(f ->
                        f.rule().equals(SecretRule.AWS_KEY_ID) && f.masked().equals(mask(id)));
                findings.add(
                        0,
                        new SecretFinding(
                                "aws-access-key-pair",
                                "AWS access key id with its secret access key",
                                Severity.CRITICAL,
                                location,
                                keyIdLine,
                                mask(keyId) + " / " + mask(secret)));
            }
        }
        return findings;
    }

    private static String awsSecretKey(List<String> candidates) {
        for (String text : candidates) {
            Matcher m = SecretRule.AWS_SECRET.matcher(text);
            while (m.find()) {
                String value = m.group(1);
                if (!SecretRule.allowlisted(value)
                        && entropy(value) >= SecretRule.AWS_SECRET_MIN_ENTROPY
                        && hasMixedCharacterClasses(value)) {
                    return value;
                }
            }
        }
        return null;
    }

    /** A secret access key has upper- and lower-case letters and digits; paths and words lack some of them. */
    private static boolean hasMixedCharacterClasses(String value) {
        return value.chars().anyMatch(Character::isUpperCase)
                && value.chars().anyMatch(Character::isLowerCase)
                && value.chars().anyMatch(Character::isDigit);
    }

    /** The first characters, then one {@code *} per hidden character. */
    static String mask(String value) {
        int visible = Math.min(VISIBLE_PREFIX, value.length() / 4);
        return value.substring(0, visible) + "*".repeat(value.length() - visible);
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        for (int count : counts) {
            bits += term(count, value.length());
        }
        return bits + term(other, value.length());
    }

    private static double term(int count, int length) {
        if (count == 0) {
            return 0;
        }
        double p = (double) count / length;
        return -p * Math.log(p) / Math.log(2);
    }

    private static boolean hasMarker(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (MARKER_START[b[i] & 0xff]) {
                for (byte[] marker : MARKERS) {
                    if (marker[0] == b[i] && startsWith(b, i, length, marker)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, int length, byte[] marker) {
        if (at + marker.length > length) {
            return false;
        }
        for (int j = 1; j < marker.length; j++) {
            if (b[at + j] != marker[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBinary(byte[] content) {
        for (int i = 0; i < Math.min(content.length, BINARY_SNIFF_BYTES); i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String firstLine(String value) {
        int end = value.indexOf("-----", "-----BEGIN".length());
        return end < 0 ? value : value.substring(0, end + 5);
    }
}
