package io.warden.scanner.vuln.version;

/**
 * A version order: parses version strings into values that compare in that order.
 * {@link #parse} throws {@link IllegalArgumentException}, naming the value, for text that is not a version here.
 */
public interface VersionScheme {
    Comparable<Object> parse(String version);

    /** The scheme of OSV's {@code SEMVER} ranges, whatever the ecosystem. */
    VersionScheme SEMVER = new SemverScheme();

    @SuppressWarnings("unchecked")
    static Comparable<Object> comparable(Comparable<?> value) {
        return (Comparable<Object>) value;
    }
}
