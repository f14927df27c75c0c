package io.warden.invoke.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Opens a TCP connection to the event's {@code port} on loopback and reports how it went. With {@code "together": 2}
 * it first waits until two invocations run at once (concurrent runtime loops); with {@code "fromThread": true} it
 * connects from a thread of its own, which no invocation owns while two run (with {@code "together"}, both stay running
 * until both threads have connected).
 */
public class Connect implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final CountDownLatch TOGETHER = new CountDownLatch(2);
    private static final CountDownLatch CONNECTED = new CountDownLatch(2);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> result = new HashMap<>();
        result.put("requestId", context.getAwsRequestId());
        if (event.containsKey("together")) {
            TOGETHER.countDown();
            try {
                result.put("met", TOGETHER.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int port = ((Number) event.get("port")).intValue();
        if (Boolean.TRUE.equals(event.get("fromThread"))) {
            Thread thread = new Thread(() -> connect(port, result), "function-thread");
            thread.start();
            try {
                thread.join();
                if (event.containsKey("together")) {
                    // Both invocations stay running until both threads have connected.
                    CONNECTED.countDown();
                    CONNECTED.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            connect(port, result);
        }
        return result;
    }

    private static void connect(int port, Map<String, Object> result) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            result.put("outcome", "connected");
        } catch (Exception e) {
            result.put("outcome", e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
