package io.warden.compat.logging;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/** Logs through Log4j2 (log4j2.xml: JSON lines on the console, with a thread context field). */
public class Log4j2Function implements RequestHandler<Map<String, String>, String> {

    private static final Logger LOG = LogManager.getLogger(Log4j2Function.class);

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        ThreadContext.put("requestId", context.getAwsRequestId());
        try {
            LOG.info("order {} received", event.get("value"));
            LOG.warn("order {} is large", event.get("value"), new IllegalStateException("example"));
            return "log4j2 = " + event.get("value");
        } finally {
            ThreadContext.clearMap();
        }
    }
}
