package io.warden.service.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * A Lambda deployment as CloudTrail records it and EventBridge delivers it ({@code "detail-type": "AWS API Call via
 * CloudTrail"}): which function or layer version changed, or why the event needs no scan.
 *
 * @param resourceArn the unqualified function ARN, or the layer version ARN; null when {@link #ignoredBecause} is set
 */
public record DeploymentEvent(String eventId, String eventName, Kind kind, String resourceArn, String ignoredBecause) {

    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    public static final String SOURCE = "aws.lambda";

    /** What the event changed. */
    public enum Kind { FUNCTION, LAYER_VERSION }

    /**
     * CloudTrail names Lambda's API calls with the API version appended ({@code UpdateFunctionCode20150331v2}), so
     * names are matched by prefix, as the template's EventBridge rule does.
     */
    private static final String[] FUNCTION_EVENTS = {"CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration"};
    private static final String LAYER_EVENT = "PublishLayerVersion";
    /** arn:partition:lambda:region:account:function:name, then an optional version or alias. */
    private static final int UNQUALIFIED_FUNCTION_ARN_PARTS = 7;

    /** Reads an EventBridge event; a call that failed (CloudTrail's {@code errorCode}) changed nothing and is ignored. */
    public static DeploymentEvent from(JsonNode event) {
        String id = event.path("id").asText(null);
        if (!DETAIL_TYPE.equals(event.path("detail-type").asText()) || !SOURCE.equals(event.path("source").asText())) {
            throw new IllegalArgumentException("event " + id + " is not a Lambda API call from CloudTrail: source \""
                    + event.path("source").asText() + "\", detail-type \"" + event.path("detail-type").asText() + "\"");
        }
        JsonNode detail = event.path("detail");
        String name = detail.path("eventName").asText();
        Kind kind = kindOf(name);
        if (kind == null) {
            throw new IllegalArgumentException("event " + id + ": CloudTrail event \"" + name
                    + "\" is not a deployment (CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration,"
                    + " PublishLayerVersion)");
        }
        if (detail.hasNonNull("errorCode")) {
            return new DeploymentEvent(id, name, kind, null, "the call failed: " + detail.get("errorCode").asText());
        }
        JsonNode response = detail.path("responseElements");
        if (kind == Kind.LAYER_VERSION) {
            return new DeploymentEvent(id, name, kind, required(response, "layerVersionArn", id, name), null);
        }
        return new DeploymentEvent(id, name, kind, unqualified(required(response, "functionArn", id, name), id), null);
    }

    private static Kind kindOf(String eventName) {
        for (String prefix : FUNCTION_EVENTS) {
            if (eventName.startsWith(prefix)) {
                return Kind.FUNCTION;
            }
        }
        return eventName.startsWith(LAYER_EVENT) ? Kind.LAYER_VERSION : null;
    }

    private static String required(JsonNode response, String field, String id, String eventName) {
        String value = response.path(field).asText("");
        if (!value.startsWith("arn:")) {
            throw new IllegalArgumentException("event " + id + ": " + eventName + " has no ARN in responseElements."
                    + field + " (found \"" + value + "\")");
        }
        return value;
    }

    /** Publishing a version answers with the version's ARN; the scan is per function. */
    private static String unqualified(String functionArn, String id) {
        String[] parts = functionArn.split(":", -1);
        if (parts.length < UNQUALIFIED_FUNCTION_ARN_PARTS || !"lambda".equals(parts[2]) || !"function".equals(parts[5])) {
            throw new IllegalArgumentException("event " + id + ": \"" + functionArn + "\" is not a Lambda function ARN");
        }
        return String.join(":", Arrays.copyOf(parts, UNQUALIFIED_FUNCTION_ARN_PARTS));
    }
}
