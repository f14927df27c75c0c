package io.warden.scanner.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The package ecosystems Warden identifies, named as OSV names them and as package URLs type them. */
public enum Ecosystem {
    MAVEN("Maven", "maven"),
    NPM("npm", "npm"),
    PYPI("PyPI", "pypi");

    private final String osvName;
    private final String purlType;

    Ecosystem(String osvName, String purlType) {
        this.osvName = osvName;
        this.purlType = purlType;
    }

    public String osvName() {
        return osvName;
    }

    public String purlType() {
        return purlType;
    }

    public static Optional<Ecosystem> fromOsvName(String name) {
        return Arrays.stream(values()).filter(e -> e.osvName.equals(name)).findFirst();
    }

    /**
     * The name under which advisories are looked up: PyPI names normalized as PEP 503 says (case and runs of
     * {@code -_.} do not matter); Maven ({@code groupId:artifactId}) and npm names as they are.
     */
    public String normalizeName(String name) {
        return this == PYPI ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
    }
}
