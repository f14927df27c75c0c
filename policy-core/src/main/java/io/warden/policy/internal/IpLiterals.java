package io.warden.policy.internal;

/**
 * Parses IP address literals without name resolution. {@code InetAddress.ofLiteral} arrived only in Java 22, and
 * {@code InetAddress.getByName} falls back to a DNS lookup for text that is not a literal.
 */
final class IpLiterals {
    private IpLiterals() {}

    /** Strict dotted decimal (no leading zeros): the 32 bits, or -1 when {@code text} is not such an address. */
    static long parseV4(String text) {
        long value = 0;
        int parts = 0;
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = text.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            int digits = end - start;
            if (digits < 1 || digits > 3 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            int octet = 0;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255 || ++parts > 4) {
                return -1;
            }
            value = (value << 8) | octet;
            start = end + 1;
        }
        return parts == 4 ? value : -1;
    }

    /** Parses an IPv6 literal (RFC 4291 text forms, without zone), throwing a precise message when it is invalid. */
    static IpAddress parseV6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!(hex || c == ':' || c == '.')) {
                throw invalidV6(text, "character '" + c + "' is not allowed");
            }
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw invalidV6(text, "\"::\" appears more than once");
        }
        int[] groups = new int[8];
        int headCount;
        int tailCount = 0;
        int[] tail = new int[8];
        if (doubleColon < 0) {
            headCount = parseGroups(text, text, groups, true);
            if (headCount != 8) {
                throw invalidV6(text, "it has " + headCount + " groups instead of 8");
            }
        } else {
            String tailText = text.substring(doubleColon + 2);
            headCount = parseGroups(text, text.substring(0, doubleColon), groups, false);
            tailCount = parseGroups(text, tailText, tail, true);
            if (headCount + tailCount > 7) {
                throw invalidV6(text, "it has too many groups around \"::\"");
            }
            System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | groups[i];
            low = (low << 16) | groups[i + 4];
        }
        return IpAddress.v6(high, low);
    }

    /** Parses colon-separated 16-bit groups into {@code out}, the last one possibly dotted IPv4; returns the count. */
    private static int parseGroups(String whole, String part, int[] out, boolean v4Allowed) {
        if (part.isEmpty()) {
            return 0;
        }
        int count = 0;
        int start = 0;
        int length = part.length();
        while (start <= length) {
            int end = part.indexOf(':', start);
            if (end < 0) {
                end = length;
            }
            String group = part.substring(start, end);
            if (group.indexOf('.') >= 0) {
                long v4 = parseV4(group);
                if (!v4Allowed || end != length || v4 < 0 || count > 6) {
                    throw invalidV6(whole, "\"" + group + "\" is not a valid embedded IPv4 address at the end");
                }
                out[count++] = (int) (v4 >>> 16);
                out[count++] = (int) (v4 & 0xFFFF);
            } else {
                if (group.isEmpty() || group.length() > 4) {
                    throw invalidV6(whole, "group \"" + group + "\" must have 1 to 4 hex digits");
                }
                if (count == 8) {
                    throw invalidV6(whole, "it has more than 8 groups");
                }
                out[count++] = Integer.parseInt(group, 16);
            }
            start = end + 1;
        }
        return count;
    }

    private static IllegalArgumentException invalidV6(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a valid IPv6 address: " + why);
    }

    static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** True when every dot-separated label is a number, as in an attempted IPv4 address. */
    static boolean looksNumeric(String text) {
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('.', start);
            if (end < 0) {
                end = text.length();
            }
            if (!allDigits(text.substring(start, end))) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}
