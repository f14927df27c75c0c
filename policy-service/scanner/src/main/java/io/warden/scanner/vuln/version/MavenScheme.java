package io.warden.scanner.vuln.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/** Maven's own version order, {@link ComparableVersion} from maven-artifact (every string is a Maven version). */
public final class MavenScheme implements VersionScheme {
    @Override
    public Comparable<Object> parse(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("not a Maven version: '" + version + "'");
        }
        return VersionScheme.comparable(new ComparableVersion(version.trim()));
    }
}
