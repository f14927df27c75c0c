package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Writes to every place a function can log to. */
public class Logging implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        System.out.println("plain stdout line");
        System.err.println("plain stderr line");
        context.getLogger().log("logger message\nwith a second line");
        context.getLogger().log("logger message without newline");
        return "logged";
    }
}
