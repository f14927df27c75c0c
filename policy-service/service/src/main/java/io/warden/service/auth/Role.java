package io.warden.service.auth;

import java.util.Locale;

/**
 * What a caller may do: an admin everything; a viewer read everything people read (violations, inventory, policies,
 * findings, scans) and change nothing; a reporter only report and read the policy of its function(s).
 */
public enum Role {
    ADMIN,
    VIEWER,
    REPORTER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value */
    public static Role fromJsonName(String name) {
        for (Role role : values()) {
            if (role.jsonName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role \"" + name + "\" is not admin, viewer or reporter");
    }
}
