package io.warden.policy;

/** The outcome of a policy decision. */
public enum Action {
    /** Permitted and not a violation. */
    ALLOWED("allowed"),
    /** Permitted, but a violation to report (alert mode). */
    ALERTED("alerted"),
    /** Refused: a violation to report (block mode). */
    BLOCKED("blocked");

    private final String jsonName;

    Action(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The action whose {@link #jsonName()} is {@code name}. */
    public static Action fromJsonName(String name) {
        for (Action action : values()) {
            if (action.jsonName.equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action \"" + name + "\"");
    }
}
