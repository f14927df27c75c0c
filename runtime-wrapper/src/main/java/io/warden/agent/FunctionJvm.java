package io.warden.agent;

/**
 * Decides whether this JVM is one Warden protects. On Lambda, {@code JAVA_TOOL_OPTIONS} reaches every JVM in the sandbox
 * (a Java extension, a {@code java} child process); only the one running the function is enforced, unless
 * {@code WARDEN_ENFORCE_ALL_JVMS=true}. Outside Lambda (no {@code AWS_LAMBDA_RUNTIME_API}) every JVM is enforced.
 */
final class FunctionJvm {

    /** Main classes of the Lambda Java runtime client: java17 and later, and the older managed runtimes. */
    private static final String[] RUNTIME_MAIN_CLASSES = {
        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "lambdainternal.AWSLambda"
    };

    private FunctionJvm() {}

    static boolean isEnforced() {
        if (System.getenv("AWS_LAMBDA_RUNTIME_API") == null
                || "true".equalsIgnoreCase(System.getenv("WARDEN_ENFORCE_ALL_JVMS"))) {
            return true;
        }
        String command = System.getProperty("sun.java.command", "");
        for (String mainClass : RUNTIME_MAIN_CLASSES) {
            if (command.equals(mainClass) || command.startsWith(mainClass + " ")) {
                return true;
            }
        }
        return false;
    }
}
