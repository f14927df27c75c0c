package io.warden.service.lambda;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what the scan handlers start, in order, as {@code "scanAll"}, {@code "function <arn>"} or
 * {@code "layer <arn>"}. Registered in the tests' META-INF/services, so Lambda's no-argument constructors find it.
 */
public final class RecordingAwsScan implements AwsScan {

    private static final List<String> CALLS = new ArrayList<>();

    static synchronized List<String> takeCalls() {
        List<String> calls = List.copyOf(CALLS);
        CALLS.clear();
        return calls;
    }

    private static synchronized void record(String call) {
        CALLS.add(call);
    }

    @Override
    public void scanAll() {
        record("scanAll");
    }

    @Override
    public void rescanFunction(String unqualifiedFunctionArn) {
        record("function " + unqualifiedFunctionArn);
    }

    @Override
    public void scanLayerVersion(String layerVersionArn) {
        record("layer " + layerVersionArn);
    }
}
