package io.warden.policy.internal;

import java.util.Locale;

/** A host name ({@code db.internal}) or a wildcard ({@code *.amazonaws.com}: any depth of subdomain, not the bare name). */
public final class HostPattern implements Rule {
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private final String text;
    private final String name;
    private final boolean wildcard;
    private final String dotSuffix;

    private HostPattern(String text, String name, boolean wildcard) {
        this.text = text;
        this.name = name;
        this.wildcard = wildcard;
        this.dotSuffix = "." + name;
    }

    /**
     * @param text {@code name} or {@code *.name}; labels of letters, digits, '-' and '_'; a trailing dot is ignored
     * @throws IllegalArgumentException with the offending value
     */
    public static HostPattern parse(String text) {
        boolean wildcard = text.startsWith("*.");
        String name = normalize(wildcard ? text.substring(2) : text);
        String problem = problemWithName(name);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not a host name" + (wildcard ? " wildcard" : "") + ": " + problem);
        }
        return new HostPattern(text, name, wildcard);
    }

    /** Lower case, without a trailing dot; the same instance when nothing changes. */
    public static String normalize(String hostName) {
        String name = hostName;
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    private static String problemWithName(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "longer than " + MAX_NAME_LENGTH + " characters";
        }
        boolean allNumeric = true;
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('.', start);
            if (end < 0) {
                end = name.length();
            }
            int length = end - start;
            if (length == 0) {
                return "it has an empty label";
            }
            if (length > MAX_LABEL_LENGTH) {
                return "label \"" + name.substring(start, end) + "\" is longer than " + MAX_LABEL_LENGTH
                        + " characters";
            }
            if (name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
                return "label \"" + name.substring(start, end) + "\" starts or ends with '-'";
            }
            for (int i = start; i < end; i++) {
                char c = name.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                allNumeric &= digit;
                if (!(digit || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
                    return "character '" + c
                            + "' is not allowed (letters, digits, '-', '_'; '*' only as a leading \"*.\")";
                }
            }
            start = end + 1;
        }
        if (allNumeric) {
            return "it is all numbers but not an IPv4 address";
        }
        return null;
    }

    /** @param normalizedName a name from {@link #normalize(String)} */
    public boolean matches(String normalizedName) {
        if (wildcard) {
            return normalizedName.length() > dotSuffix.length() && normalizedName.endsWith(dotSuffix);
        }
        return normalizedName.equals(name);
    }

    /** The normalised name, without the wildcard. */
    public String name() {
        return name;
    }

    public boolean isWildcard() {
        return wildcard;
    }

    @Override
    public String text() {
        return text;
    }
}
