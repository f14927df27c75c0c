package io.warden.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The cold-start benchmark's function: hello world, so that what is measured is the runtime and Warden. */
public class HelloFunction implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "hello " + event.getOrDefault("name", "world");
    }
}
