package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Cannot be initialised: its static initializer throws, so the runtime reports an init error. */
public class BrokenInit implements RequestHandler<Map<String, Object>, String> {
    private static final String CONFIG = loadConfig();

    private static String loadConfig() {
        throw new IllegalStateException("cannot initialise: configuration missing");
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return CONFIG;
    }
}
