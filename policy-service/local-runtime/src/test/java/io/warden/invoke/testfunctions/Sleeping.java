package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Sleeps for the event's {@code millis}, or exits the JVM with the event's {@code exitStatus}. */
public class Sleeping implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        if (event.containsKey("exitStatus")) {
            System.exit(((Number) event.get("exitStatus")).intValue());
        }
        try {
            Thread.sleep(((Number) event.get("millis")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "slept";
    }
}
