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
 * @param confidence how sure the identification is
 * @param possibleVersions when the version is unknown, the versions the evidence still allows (for example those whose
 *     bytes match a class fingerprint); empty when nothing narrows it
 * @param unresolved why part of the identity is unknown (for example no group for a jar known only by its file name),
 *     or null when it is complete; then {@code purl} is null if no package URL can be built
 */
public record Component(
        Ecosystem ecosystem,
        String name,
        String version,
        String purl,
        String location,
        String embeddedIn,
        List<Evidence> evidence,
        Confidence confidence,
        List<String> possibleVersions,
        String unresolved) {

    public Component {
        evidence = List.copyOf(evidence);
        possibleVersions = List.copyOf(possibleVersions);
    }

    /** A component as stored elsewhere (for matching again): its confidence follows from whether it has a version. */
    public Component(
            Ecosystem ecosystem,
            String name,
            String version,
            String purl,
            String location,
            String embeddedIn,
            List<Evidence> evidence) {
        this(
                ecosystem,
                name,
                version,
                purl,
                location,
                embeddedIn,
                evidence,
                version == null ? Confidence.UNKNOWN_VERSION : Confidence.EXACT,
                List.of(),
                null);
    }

    /**
     * A component identified by its own metadata (exact) or, without a version, of unknown version. A name that cannot
     * become a package URL (a Maven artifact without a group, say) still makes a component: its purl is null and
     * {@code unresolved} says why.
     */
    public static Component of(
            Ecosystem ecosystem,
            String name,
            String version,
            String location,
            String embeddedIn,
            List<Evidence> evidence) {
        String unresolved = null;
        String purl = null;
        if (ecosystem == Ecosystem.MAVEN && name.indexOf(':') <= 0) {
            unresolved = "group unknown: the evidence names the artifact '" + name + "' only";
        } else {
            try {
                purl = purlOf(ecosystem, name, version);
            } catch (MalformedPackageURLException e) {
                unresolved = "no package URL: " + e.getMessage();
            }
        }
        return new Component(
                ecosystem,
                name,
                version,
                purl,
                location,
                embeddedIn,
                evidence,
                version == null ? Confidence.UNKNOWN_VERSION : Confidence.EXACT,
                List.of(),
                unresolved);
    }

    public Component withEvidence(List<Evidence> more) {
        List<Evidence> all = new java.util.ArrayList<>(evidence);
        all.addAll(more);
        return new Component(
                ecosystem, name, version, purl, location, embeddedIn, all, confidence, possibleVersions, unresolved);
    }

    /** The same component with its confidence lowered to inferred (a component of unknown version stays so). */
    public Component inferred() {
        return confidence == Confidence.EXACT
                ? new Component(
                        ecosystem,
                        name,
                        version,
                        purl,
                        location,
                        embeddedIn,
                        evidence,
                        Confidence.INFERRED,
                        possibleVersions,
                        unresolved)
                : this;
    }

    /** The same component, of unknown version, with the versions the evidence still allows. */
    public Component withPossibleVersions(List<String> versions) {
        return new Component(
                ecosystem, name, version, purl, location, embeddedIn, evidence, confidence, versions, unresolved);
    }

    /** The same component with the reason part of its identity is unknown (replacing the default reason). */
    public Component withUnresolved(String reason) {
        return new Component(
                ecosystem, name, version, purl, location, embeddedIn, evidence, confidence, possibleVersions, reason);
    }

    private static String purlOf(Ecosystem ecosystem, String name, String version) throws MalformedPackageURLException {
        String namespace = null;
        String simpleName = name;
        if (ecosystem == Ecosystem.MAVEN && name.indexOf(':') > 0) {
            namespace = name.substring(0, name.indexOf(':'));
            simpleName = name.substring(name.indexOf(':') + 1);
        } else if (ecosystem == Ecosystem.NPM && name.startsWith("@") && name.indexOf('/') > 0) {
            namespace = name.substring(0, name.indexOf('/'));
            simpleName = name.substring(name.indexOf('/') + 1);
        }
        return new PackageURL(ecosystem.purlType(), namespace, simpleName, version, null, null).canonicalize();
    }
}
