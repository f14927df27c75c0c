package io.warden.agent;

/**
 * What the launcher prints when the agent itself could not start: one {@code "warden":"error"} line and one Embedded
 * Metric Format record of {@code AgentFailed}, which the template's alarm watches. Written by hand: the launcher has
 * none of the agent's classes.
 */
final class StatusLine {

    /** {@code closed}: a JVM Warden cannot protect does not run at all. {@code open} (the default): it runs, loudly. */
    static final String ON_FAILURE = "WARDEN_ON_FAILURE";
    /** The exit status of a JVM that refused to run unprotected. */
    static final int REFUSED_STATUS = 78;

    private StatusLine() {}

    static void printFailure(Throwable cause) {
        String onFailure = System.getenv(ON_FAILURE);
        boolean closed = !(onFailure == null || onFailure.isEmpty() || onFailure.equals("open"));
        String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        function = function == null || function.isEmpty() ? "unknown" : function;
        String outcome = closed
                ? "the JVM exits rather than run unprotected (" + ON_FAILURE + "=" + onFailure + ")"
                : "this JVM is not protected";
        System.out.println("{\"warden\":\"error\",\"function\":\"" + escape(function) + "\",\"message\":\""
                + escape("the Warden agent could not start; " + outcome + ": " + cause) + "\"}");
        System.out.println("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis() + ",\"CloudWatchMetrics\":[{"
                + "\"Namespace\":\"Warden\",\"Dimensions\":[[\"FunctionName\"]],"
                + "\"Metrics\":[{\"Name\":\"AgentFailed\",\"Unit\":\"Count\"}]}]},"
                + "\"FunctionName\":\"" + escape(function) + "\",\"AgentFailed\":1}");
        System.out.flush();
        if (closed) {
            Runtime.getRuntime().halt(REFUSED_STATUS);
        }
    }

    /** A JSON string's content: quotes, backslashes and control characters escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
