package io.warden.agent.core.hooks;

import io.warden.agent.core.gate.Gate;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Whether the gate was called by the JDK method a hook is woven into, or by code that called the public gate itself.
 * Most hooks only ask: a made-up call is judged like the operation it names, and makes at most a report of it. A hook
 * that tells Warden something (a name's DNS answer, which a connection's host name then counts on) must hear it from
 * the JDK: only a class of the JDK's runtime image can be named {@code java.*}, and the frame right below the gate's is
 * the hooked method itself when the hook called it (a call through reflection or a method handle has the JDK's
 * reflection frames, or none, in between).
 */
public final class GateCaller implements Function<Stream<StackWalker.StackFrame>, Boolean> {

    private static final String GATE = Gate.GATE_CLASS.replace('/', '.');

    private final Hook hook;

    private GateCaller(Hook hook) {
        this.hook = hook;
    }

    /** Walks the stack; made only for the hooks that tell Warden something, never at start-up. */
    public static boolean isHookedMethod(Hook hook) {
        return StackWalker.getInstance().walk(new GateCaller(hook));
    }

    @Override
    public Boolean apply(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> walk = frames.iterator();
        while (walk.hasNext()) {
            if (walk.next().getClassName().equals(GATE)) {
                if (!walk.hasNext()) {
                    return false;
                }
                StackWalker.StackFrame caller = walk.next();
                return caller.getClassName().equals(hook.owner.replace('/', '.'))
                        && caller.getMethodName().equals(hook.method);
            }
        }
        return false;
    }
}
