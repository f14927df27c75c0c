package io.warden.scanner.catalog;

import io.warden.scanner.catalog.java.JavaCataloger;
import io.warden.scanner.catalog.node.NodeCataloger;
import io.warden.scanner.catalog.python.PythonCataloger;
import java.util.List;

/** Every cataloger, in one place: a new ecosystem is added here. */
public final class Catalogers {
    private Catalogers() {}

    public static List<Cataloger> all() {
        return List.of(new JavaCataloger(), new NodeCataloger(), new PythonCataloger());
    }
}
