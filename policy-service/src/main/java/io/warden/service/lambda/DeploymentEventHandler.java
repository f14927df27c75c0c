package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Rescans what a deployment changed: EventBridge delivers the CloudTrail events of {@code CreateFunction},
 * {@code UpdateFunctionCode}, {@code UpdateFunctionConfiguration} and {@code PublishLayerVersion} (see
 * {@link DeploymentEvent}). The event's free-form {@code detail} is read as JSON; the answer says what was scanned.
 */
public final class DeploymentEventHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsScan scan;

    /** Lambda's constructor. */
    public DeploymentEventHandler() {
        this(AwsScan.load());
    }

    public DeploymentEventHandler(AwsScan scan) {
        this.scan = scan;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        DeploymentEvent event = DeploymentEvent.from(JSON.readTree(input));
        ObjectNode answer = JSON.createObjectNode().put("event", event.eventId()).put("eventName", event.eventName());
        if (event.ignoredBecause() != null) {
            answer.put("ignored", event.ignoredBecause());
        } else if (event.kind() == DeploymentEvent.Kind.LAYER_VERSION) {
            scan.scanLayerVersion(event.resourceArn());
            answer.put("scannedLayerVersion", event.resourceArn());
        } else {
            scan.rescanFunction(event.resourceArn());
            answer.put("scannedFunction", event.resourceArn());
        }
        JSON.writeValue(output, answer);
    }
}
