package io.warden.compat.logging;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logs through SLF4J and Logback (logback.xml: a pattern with the MDC on the console). */
public class LogbackFunction implements RequestHandler<Map<String, String>, String> {

    private static final Logger LOG = LoggerFactory.getLogger(LogbackFunction.class);

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        MDC.put("requestId", context.getAwsRequestId());
        try {
            LOG.info("order {} received", event.get("value"));
            LOG.warn("order {} is large", event.get("value"), new IllegalStateException("example"));
            return "logback = " + event.get("value");
        } finally {
            MDC.clear();
        }
    }
}
