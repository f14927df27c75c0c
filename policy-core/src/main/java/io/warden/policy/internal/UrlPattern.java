package io.warden.policy.internal;

/**
 * A {@code jndi} entry: a JNDI URL in which {@code *} matches any run of characters and {@code ?} one character,
 * compared case-insensitively, e.g. {@code ldap://directory.internal:389/*}. It must start with its scheme.
 */
public final class UrlPattern implements Rule {
    private final String text;

    private UrlPattern(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException with the offending value */
    public static UrlPattern parse(String text) {
        String scheme = JndiNames.scheme(text);
        if (scheme == null
                || Wildcards.literalPrefixLength(scheme) < scheme.length()
                || !JndiNames.isSchemeName(scheme)) {
            throw new IllegalArgumentException("\"" + text + "\" does not start with a URL scheme such as ldap:");
        }
        return new UrlPattern(text);
    }

    public boolean matches(String name) {
        return Wildcards.matches(text, name, 0, name.length(), true);
    }

    @Override
    public String text() {
        return text;
    }
}
