package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Tries to read the process environment while its class initialises, before any invocation. */
public class ReadsEnvironOnInit implements RequestHandler<Map<String, Object>, String> {
    private static final String AT_INIT;

    static {
        String outcome;
        try {
            outcome = "read " + Files.readAllBytes(Path.of("/proc/self/environ")).length + " bytes";
        } catch (Exception e) {
            outcome = e.getClass().getName() + ": " + e.getMessage();
        }
        AT_INIT = outcome;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return AT_INIT;
    }
}
