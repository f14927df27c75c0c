package io.warden.aws.findings;

import io.warden.scanner.catalog.Component;
import io.warden.scanner.catalog.Ecosystem;
import java.util.List;

/** A component as the inventory keeps it: enough to match it again against a newer advisory database. */
public record StoredComponent(Ecosystem ecosystem, String name, String version, String purl, String location) {

    public static StoredComponent of(Component c) {
        return new StoredComponent(c.ecosystem(), c.name(), c.version(), c.purl(), c.location());
    }

    /** The component for the matcher (the evidence stays with the original scan). */
    public Component toComponent() {
        return new Component(ecosystem, name, version, purl, location, null, List.of());
    }
}
