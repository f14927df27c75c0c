package io.warden.agent.core.enforce;

import java.util.Hashtable;
import java.util.Properties;

/**
 * Which JNDI values Warden may read without running the caller's code: only instances of the JDK's own classes, whose
 * methods are the JDK's. A subclass could answer Warden one thing and the JDK another.
 */
final class JndiValues {

    private JndiValues() {}

    /** CompositeName, CompoundName or LdapName itself (java.naming is optional, so compared by name and loader). */
    static boolean isJdkName(Object name) {
        if (name == null || name.getClass().getClassLoader() != null) {
            return false;
        }
        String type = name.getClass().getName();
        return type.equals("javax.naming.CompositeName")
                || type.equals("javax.naming.CompoundName")
                || type.equals("javax.naming.ldap.LdapName");
    }

    static boolean isJdkTable(Object environment) {
        return environment.getClass() == Hashtable.class || environment.getClass() == Properties.class;
    }
}
