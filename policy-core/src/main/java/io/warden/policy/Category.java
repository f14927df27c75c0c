package io.warden.policy;

/** What kind of operation a decision or a violation is about; each has its own policy section and mode. */
public enum Category {
    NETWORK("network"),
    DNS("dns"),
    FILE("file"),
    PROCESS("process"),
    NATIVE("native"),
    JNDI("jndi"),
    DESERIALIZATION("deserialization");

    private final String jsonName;

    Category(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in violation events. */
    public String jsonName() {
        return jsonName;
    }

    /** The category whose {@link #jsonName()} is {@code name}. */
    public static Category fromJsonName(String name) {
        for (Category category : values()) {
            if (category.jsonName.equals(name)) {
                return category;
            }
        }
        throw new IllegalArgumentException("unknown category \"" + name + "\"");
    }
}
