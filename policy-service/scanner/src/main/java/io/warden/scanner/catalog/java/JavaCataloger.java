package io.warden.scanner.catalog.java;

import io.warden.scanner.archive.Archive;
import io.warden.scanner.catalog.Cataloger;

/**
 * Java components of jars, wars and function packages. Evidence, strongest first: every
 * {@code META-INF/maven/G/A/pom.properties} (a copy shaded into another jar is a component of its own, marked embedded);
 * {@code META-INF/maven/G/A/pom.xml} where the properties are missing; {@code MANIFEST.MF}; the file name; and class
 * fingerprints for relocated or stripped copies of famous classes. See {@link JarCatalog}.
 */
public final class JavaCataloger implements Cataloger {
    private final NameIndex names;

    /** @param names resolves the names jars give themselves to Maven coordinates */
    public JavaCataloger(NameIndex names) {
        this.names = names;
    }

    @Override
    public ArchiveCatalog open(Archive archive) {
        return new JarCatalog(archive, names);
    }
}
