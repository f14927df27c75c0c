package io.warden.agent.core.enforce;

import java.util.Optional;

/**
 * Which processes are "other": neither this JVM nor one it started (or one they started). The handle is the JDK's own
 * {@code ProcessHandleImpl}, a final class, so asking it is asking the JDK.
 */
final class OtherProcesses {

    static final String SIGNAL = "signal";
    static final String INSPECT = "inspect";
    /** How far up the parent chain a descendant is looked for. */
    private static final int MAX_DEPTH = 32;

    private OtherProcesses() {}

    static boolean isSelfOrDescendant(ProcessHandle target) {
        long self = ProcessHandle.current().pid();
        ProcessHandle current = target;
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            if (current.pid() == self) {
                return true;
            }
            Optional<ProcessHandle> parent = current.parent();
            if (parent.isEmpty()) {
                return false;
            }
            current = parent.get();
        }
        return false;
    }
}
