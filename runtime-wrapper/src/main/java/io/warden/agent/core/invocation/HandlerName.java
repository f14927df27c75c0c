package io.warden.agent.core.invocation;

/** The handler that {@code _HANDLER} names: {@code pkg.Class} (method {@code handleRequest}) or {@code pkg.Class::method}. */
public final class HandlerName {

    /** The method Lambda calls when {@code _HANDLER} names only a class (RequestHandler, RequestStreamHandler). */
    static final String DEFAULT_METHOD = "handleRequest";

    private final String className;
    private final String methodName;

    private HandlerName(String className, String methodName) {
        this.className = className;
        this.methodName = methodName;
    }

    /** Returns null when {@code _HANDLER} is absent or is not a Java handler name. */
    public static HandlerName parse(String handler) {
        if (handler == null || handler.isBlank()) {
            return null;
        }
        String text = handler.trim();
        int separator = text.indexOf("::");
        String className = separator < 0 ? text : text.substring(0, separator);
        String methodName = separator < 0 ? DEFAULT_METHOD : text.substring(separator + 2);
        if (className.isEmpty() || methodName.isEmpty() || !isJavaName(className) || !isJavaName(methodName)) {
            return null;
        }
        return new HandlerName(className, methodName);
    }

    private static boolean isJavaName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isJavaIdentifierPart(c) && c != '.' && c != '$') {
                return false;
            }
        }
        return Character.isJavaIdentifierStart(name.charAt(0));
    }

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }
}
