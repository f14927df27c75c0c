package io.warden.agent.core.report;

/** The first stack frame outside the JDK and Warden: the function code (or its library) that attempted the operation. */
public final class CallerFinder {

    private static final String[] PLATFORM_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.warden.agent.", "io.warden.policy."
    };
    /**
     * Also the AWS SDK, the HTTP clients it drives and the Lambda runtime client: an observation names the function's
     * own code that made the SDK call, not the SDK's connection pool.
     */
    private static final String[] LIBRARY_PREFIXES = {
        "java.",
        "javax.",
        "jdk.",
        "sun.",
        "com.sun.",
        "io.warden.agent.",
        "io.warden.policy.",
        "software.amazon.awssdk.",
        "org.apache.http.",
        "io.netty.",
        "com.amazonaws."
    };

    private CallerFinder() {}

    static String caller() {
        return caller(PLATFORM_PREFIXES);
    }

    /** The first frame outside the JDK, Warden, the AWS SDK and its HTTP clients. */
    public static String callerOutsideSdk() {
        return caller(LIBRARY_PREFIXES);
    }

    private static String caller(String[] prefixes) {
        for (StackTraceElement frame : new Throwable().getStackTrace()) {
            if (!isUnder(frame.getClassName(), prefixes)) {
                return frame.getClassName() + "." + frame.getMethodName() + "("
                        + (frame.getFileName() == null
                                ? "Unknown Source"
                                : frame.getFileName() + ":" + frame.getLineNumber())
                        + ")";
            }
        }
        return null;
    }

    private static boolean isUnder(String className, String[] prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
