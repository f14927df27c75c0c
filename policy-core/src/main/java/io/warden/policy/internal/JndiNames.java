package io.warden.policy.internal;

import java.util.Locale;
import java.util.Set;

/** The URL scheme of a JNDI name, found the way {@code javax.naming.InitialContext} finds it. */
public final class JndiNames {
    /** Schemes whose URL context reaches another machine. */
    public static final Set<String> REMOTE_SCHEMES =
            Set.of("ldap", "ldaps", "rmi", "dns", "iiop", "iiopname", "corbaname", "nis", "nds");

    private JndiNames() {}

    /** The text before the first ':' when it comes before any '/', as InitialContext does; null otherwise. */
    public static String scheme(String name) {
        int colon = name.indexOf(':');
        int slash = name.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) {
            return name.substring(0, colon);
        }
        return null;
    }

    /** True when the name's scheme (in any letter case) is one of {@link #REMOTE_SCHEMES}. */
    public static boolean isRemote(String name) {
        String scheme = scheme(name);
        return scheme != null && REMOTE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    static boolean isSchemeName(String scheme) {
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
                return false;
            }
        }
        return true;
    }
}
