package io.warden.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.File;
import java.util.Map;

/**
 * A handler whose every invocation has one new violation: it asks whether a file exists in the directory the
 * benchmark's policy ({@code benchmarks/reporting-policy.json}) denies, under a new name each time (so no two are aggregated into one line). What Warden adds to such an
 * invocation: the check, the violation line, and, with a policy service, the wait for the event to leave at its end.
 */
public class ViolatingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private long calls;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        new File("/tmp/warden-bench-denied/" + calls++).exists();
        return event;
    }
}
