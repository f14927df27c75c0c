package io.warden.agent.core.report;

/** The first stack frame outside the JDK and Warden: the function code (or its library) that attempted the operation. */
final class CallerFinder {

    private static final String[] PLATFORM_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.warden.agent.", "io.warden.policy."
    };

    private CallerFinder() {}

    static String caller() {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            if (!isPlatform(frame.getClassName())) {
                return frame.getClassName() + "." + frame.getMethodName() + "("
                        + (frame.getFileName() == null
                                ? "Unknown Source"
                                : frame.getFileName() + ":" + frame.getLineNumber())
                        + ")";
            }
        }
        return null;
    }

    private static boolean isPlatform(String className) {
        for (String prefix : PLATFORM_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
