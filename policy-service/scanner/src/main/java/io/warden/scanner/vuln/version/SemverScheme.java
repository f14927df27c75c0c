package io.warden.scanner.vuln.version;

import org.semver4j.Semver;

/**
 * Semantic Versioning 2.0 precedence (semver4j), as npm orders versions. A version that is not strict SemVer (a
 * leading {@code v}, a missing patch number) is coerced the way npm's loose parsing does.
 */
public final class SemverScheme implements VersionScheme {
    @Override
    public Comparable<Object> parse(String version) {
        if (version == null) {
            throw new IllegalArgumentException("not a semantic version: 'null'");
        }
        Semver strict = Semver.parse(version.trim());
        Semver parsed = strict != null ? strict : Semver.coerce(version.trim());
        if (parsed == null) {
            throw new IllegalArgumentException("not a semantic version: '" + version + "'");
        }
        return VersionScheme.comparable(parsed);
    }
}
