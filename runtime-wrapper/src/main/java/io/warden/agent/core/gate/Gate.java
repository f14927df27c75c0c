package io.warden.agent.core.gate;

/** How woven code calls the gate ({@code java.lang.WardenGate}), which the launcher defines in {@code java.base}. */
public final class Gate {

    /** Internal name of the gate once it lives in {@code java.base}; the hooks call it by this name. */
    public static final String GATE_CLASS = "java/lang/WardenGate";

    public static final String CHECK_METHOD = "check";
    public static final String CHECK_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Z";
    public static final String SUBSTITUTE_METHOD = "substitute";
    public static final String SUBSTITUTE_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;I)Ljava/lang/Object;";

    private Gate() {}
}
