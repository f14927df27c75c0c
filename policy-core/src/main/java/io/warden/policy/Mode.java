package io.warden.policy;

/** What happens to an operation that the policy does not allow. */
public enum Mode {
    /** The operation fails. */
    BLOCK("block"),
    /** The operation proceeds and is reported. */
    ALERT("alert"),
    /** The operation proceeds and is not reported. */
    OFF("off");

    private final String jsonName;

    Mode(String jsonName) {
        this.jsonName = jsonName;
    }

    /** Parses "block", "alert" or "off" (exactly, lower case). */
    public static Mode parse(String s) {
        for (Mode mode : values()) {
            if (mode.jsonName.equals(s)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode \"" + s + "\" is not one of block, alert, off");
    }

    public String jsonName() {
        return jsonName;
    }

    /** The action taken on a violation under this mode. */
    public Action violationAction() {
        switch (this) {
            case BLOCK:
                return Action.BLOCKED;
            case ALERT:
                return Action.ALERTED;
            default:
                return Action.ALLOWED;
        }
    }
}
