package io.warden.scanner.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Components of one archive keyed by name and version, so several pieces of evidence for one package merge. */
public final class ComponentSet {
    private final Map<String, Component> byKey = new LinkedHashMap<>();

    public void add(Component component) {
        String key = component.name() + "@" + component.version();
        Component known = byKey.get(key);
        byKey.put(key, known == null ? component : known.withEvidence(component.evidence()));
    }

    public List<Component> toList() {
        return new ArrayList<>(byKey.values());
    }
}
