package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.DeploymentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rescans what a deployment changed ({@link AwsScanner#handle}): EventBridge delivers the CloudTrail events of
 * {@code CreateFunction}, {@code UpdateFunctionCode}, {@code UpdateFunctionConfiguration} and
 * {@code PublishLayerVersion}, read by {@link DeploymentEvent}. A stream handler, because the event's {@code detail}
 * is free-form JSON. The answer says what was scanned, or why nothing was.
 */
public final class DeploymentEventHandler implements RequestStreamHandler {

    private final AwsScanner scanner;

    /** Lambda's constructor: the scan configured from the function's environment. */
    public DeploymentEventHandler() {
        this(ScanFunctionEnvironment.scanner(System.getenv()));
    }

    public DeploymentEventHandler(AwsScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        DeploymentEvent event = DeploymentEvent.parse(input);
        ObjectNode answer = ScanAnswers.of(scanner.handle(event))
                .put("event", event.eventId())
                .put("action", event.action().name())
                .put("account", event.accountId())
                .put("region", event.region());
        if (event.failed()) {
            answer.put("ignored", "the call failed: " + event.errorCode());
        } else {
            answer.put(event.action().isLayer() ? "layerVersion" : "function", event.target());
        }
        output.write(answer.toString().getBytes(StandardCharsets.UTF_8));
    }
}
