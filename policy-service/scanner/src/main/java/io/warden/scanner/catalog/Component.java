package io.warden.scanner.catalog;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.List;

/**
 * A package found in a function package.
 *
 * @param name the ecosystem's package name ({@code groupId:artifactId} for Maven)
 * @param version null when no evidence gave one (then it is matched as "version unknown")
 * @param purl its package URL
 * @param location the archive or file it was found in
 * @param embeddedIn for a shaded or relocated copy, the jar that carries it; otherwise null
 * @param evidence why it was identified
 */
public record Component(
        Ecosystem ecosystem,
        String name,
        String version,
        String purl,
        String location,
        String embeddedIn,
        List<Evidence> evidence) {

    public Component {
        evidence = List.copyOf(evidence);
    }

    public static Component of(Ecosystem ecosystem, String name, String version, String location, String embeddedIn,
            List<Evidence> evidence) {
        return new Component(ecosystem, name, version, purlOf(ecosystem, name, version), location, embeddedIn,
                evidence);
    }

    public Component withEvidence(List<Evidence> more) {
        List<Evidence> all = new java.util.ArrayList<>(evidence);
        all.addAll(more);
        return new Component(ecosystem, name, version, purl, location, embeddedIn, all);
    }

    private static String purlOf(Ecosystem ecosystem, String name, String version) {
        String namespace = null;
        String simpleName = name;
        if (ecosystem == Ecosystem.MAVEN && name.indexOf(':') > 0) {
            namespace = name.substring(0, name.indexOf(':'));
            simpleName = name.substring(name.indexOf(':') + 1);
        } else if (ecosystem == Ecosystem.NPM && name.startsWith("@") && name.indexOf('/') > 0) {
            namespace = name.substring(0, name.indexOf('/'));
            simpleName = name.substring(name.indexOf('/') + 1);
        }
        try {
            return new PackageURL(ecosystem.purlType(), namespace, simpleName, version, null, null).canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException("no package URL for " + ecosystem.osvName() + " package '" + name
                    + "' version '" + version + "': " + e.getMessage(), e);
        }
    }
}
