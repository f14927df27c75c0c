package io.warden.compat.powertools;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** Structured logging and a metric per order, with the cold-start metric, through Powertools. */
public class PowertoolsFunction implements RequestHandler<Map<String, String>, String> {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsFunction.class);
    private final Metrics metrics = MetricsFactory.getMetricsInstance();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            metrics.captureColdStartMetric(context);
            metrics.addMetric("Orders", 1, MetricUnit.COUNT);
            LOG.info("order {} received", event.get("value"));
            metrics.flush();
            return "powertools = " + event.get("value");
        });
    }
}
