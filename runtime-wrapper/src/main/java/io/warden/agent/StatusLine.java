package io.warden.agent;

/** The line printed when the agent itself could not start: one JSON object, like every other Warden line. */
final class StatusLine {

    private StatusLine() {}

    static void printFailure(Throwable cause) {
        String detail = String.valueOf(cause).replace('\\', '/').replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
        System.out.println("{\"warden\":\"error\",\"message\":\"the Warden agent could not start; this JVM is not protected: "
                + detail + "\"}");
    }
}
