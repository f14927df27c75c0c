package io.warden.scanner.catalog;

import io.warden.scanner.catalog.java.JavaCataloger;
import io.warden.scanner.catalog.java.NameIndex;
import io.warden.scanner.catalog.node.NodeCataloger;
import io.warden.scanner.catalog.python.PythonCataloger;
import java.util.List;

/** Every cataloger, in one place: a new ecosystem is added here. */
public final class Catalogers {
    private Catalogers() {}

    /** @param javaNames resolves the names jars give themselves to Maven coordinates */
    public static List<Cataloger> all(NameIndex javaNames) {
        return List.of(new JavaCataloger(javaNames), new NodeCataloger(), new PythonCataloger());
    }
}
