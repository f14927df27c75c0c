package io.warden.aws.findings;

import java.util.Locale;

/** What kind of problem a finding is; the {@code type} filter of the findings API uses these names in lower case. */
public enum FindingType {
    /** A component of the function's or layer's package with a known vulnerability. */
    VULNERABILITY,
    /** A secret in the package or in the function's environment variables. */
    SECRET,
    /** How the function is configured: runtime, exposure, permissions, Warden coverage. */
    POSTURE,
    /** A part of a package that could not be read. */
    UNSCANNABLE;

    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
