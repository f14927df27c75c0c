package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Each invocation waits for a second one to be running at the same time, which only concurrent runtime loops allow. */
public class Rendezvous implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        BOTH_RUNNING.countDown();
        boolean met;
        try {
            met = BOTH_RUNNING.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            met = false;
        }
        return Map.of(
                "requestId",
                context.getAwsRequestId(),
                "thread",
                Thread.currentThread().getName(),
                "met",
                met);
    }
}
