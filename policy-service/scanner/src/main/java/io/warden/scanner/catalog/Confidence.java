package io.warden.scanner.catalog;

/** How sure the scanner is of a component's coordinates and version. */
public enum Confidence {
    /** Name and version stated by the component's own metadata (its pom.properties, lock file entry, METADATA). */
    EXACT,
    /** Name or version inferred: from a manifest, the file name, the package tree, the name index or a class fingerprint. */
    INFERRED,
    /** No evidence gave a version (a range of possible versions may still be known). */
    UNKNOWN_VERSION;

    public String lowerCase() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
