package io.warden.probe;

import java.io.ObjectInputFilter;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/** What function code could try to turn Warden off at run time; prints how each attempt ended. */
final class Tampering {

    private Tampering() {}

    static String attempts() {
        List<String> outcomes = new ArrayList<>();
        outcomes.add(attempt("gate-field", () -> {
            Field field = Class.forName("java.lang.WardenGate").getDeclaredField("target");
            field.setAccessible(true);
            field.set(null, null);
        }));
        outcomes.add(attempt(
                "gate-lookup",
                () -> MethodHandles.privateLookupIn(Class.forName("java.lang.WardenGate"), MethodHandles.lookup())));
        outcomes.add(
                attempt("java-lang-lookup", () -> MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup())));
        outcomes.add(attempt(
                "gate-connect",
                () -> Class.forName("java.lang.WardenGate")
                        .getMethod("connect", Class.forName("java.lang.WardenGate$Target"))
                        .invoke(null, (Object) null)));
        outcomes.add(attempt("agent-class", () -> Class.forName("io.warden.agent.core.Agent")));
        outcomes.add(attempt(
                "serial-filter-factory", () -> ObjectInputFilter.Config.setSerialFilterFactory((a, b) -> null)));
        return String.join(" ", outcomes);
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static String attempt(String name, Attempt attempt) {
        try {
            attempt.run();
            return name + "=done";
        } catch (Throwable refused) {
            Throwable cause =
                    refused instanceof java.lang.reflect.InvocationTargetException ? refused.getCause() : refused;
            return name + "=refused(" + cause.getClass().getSimpleName() + ")";
        }
    }
}
