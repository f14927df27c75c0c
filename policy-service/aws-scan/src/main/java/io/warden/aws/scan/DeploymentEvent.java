package io.warden.aws.scan;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.discovery.LayerVersionArn;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment that CloudTrail recorded and EventBridge delivered ({@code detail-type: AWS API Call via CloudTrail},
 * {@code source: aws.lambda}): {@code CreateFunction}, {@code UpdateFunctionCode} and
 * {@code UpdateFunctionConfiguration} name a function to rescan, {@code PublishLayerVersion} a layer version to scan.
 *
 * @param eventId the EventBridge event's id, named in every error about it
 * @param target the function's unqualified ARN or its name, or the layer version's ARN
 * @param errorCode CloudTrail's {@code errorCode} when the API call itself failed (nothing was deployed), else null
 */
public record DeploymentEvent(
        String eventId, Action action, String accountId, String region, String target, String errorCode) {
    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    public static final String SOURCE = "aws.lambda";
    /** CloudTrail names Lambda's calls with the API version: {@code UpdateFunctionCode20150331v2}. */
    private static final Pattern EVENT_NAME = Pattern.compile("([A-Za-z]+?)(\\d{8}(v\\d+)?)?");
    /** arn:partition:lambda:region:account:function:name, then an optional version or alias. */
    private static final int UNQUALIFIED_FUNCTION_ARN_PARTS = 7;

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Action {
        CREATE_FUNCTION("CreateFunction"),
        UPDATE_FUNCTION_CODE("UpdateFunctionCode"),
        UPDATE_FUNCTION_CONFIGURATION("UpdateFunctionConfiguration"),
        PUBLISH_LAYER_VERSION("PublishLayerVersion");

        private final String apiName;

        Action(String apiName) {
            this.apiName = apiName;
        }

        public boolean isLayer() {
            return this == PUBLISH_LAYER_VERSION;
        }
    }

    /** The event as the Lambda Java events library delivers a CloudWatch Events / EventBridge event. */
    public static DeploymentEvent of(ScheduledEvent event) {
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        root.put("id", event.getId());
        root.put("detail-type", event.getDetailType());
        root.put("source", event.getSource());
        root.put("account", event.getAccount());
        root.put("region", event.getRegion());
        root.set("detail", JSON.valueToTree(event.getDetail() == null ? Map.of() : event.getDetail()));
        return parse(root);
    }

    /** The event's JSON as EventBridge sends it. */
    public static DeploymentEvent parse(InputStream json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getOriginalMessage(), e);
        }
        return parse(root);
    }

    public static DeploymentEvent parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        String id = root.path("id").asText("");
        String detailType = root.path("detail-type").asText("");
        String source = root.path("source").asText("");
        if (!DETAIL_TYPE.equals(detailType) || !SOURCE.equals(source)) {
            throw new IllegalArgumentException("event '" + id + "' is not a Lambda API call recorded by CloudTrail:"
                    + " detail-type '" + detailType + "', source '" + source + "'");
        }
        JsonNode detail = root.path("detail");
        String eventName = detail.path("eventName").asText("");
        String about = "event '" + id + "' (" + eventName + ")";
        Action action = action(eventName, id);
        String account =
                detail.path("recipientAccountId").asText(root.path("account").asText(""));
        String region = detail.path("awsRegion").asText(root.path("region").asText(""));
        String errorCode =
                detail.hasNonNull("errorCode") ? detail.get("errorCode").asText() : null;
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException(about + " has account '" + account + "', expected 12 digits");
        }
        if (region.isBlank()) {
            throw new IllegalArgumentException(about + " names no region");
        }
        if (errorCode != null) {
            return new DeploymentEvent(id, action, account, region, null, errorCode);
        }
        JsonNode response = detail.path("responseElements");
        String target;
        if (action.isLayer()) {
            target = response.path("layerVersionArn").asText("");
            try {
                LayerVersionArn.parse(target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        about + ": responseElements.layerVersionArn is " + e.getMessage(), e);
            }
        } else {
            target = response.path("functionArn")
                    .asText(detail.path("requestParameters")
                            .path("functionName")
                            .asText(""));
            if (target.isBlank()) {
                throw new IllegalArgumentException(
                        about + " names no responseElements.functionArn or" + " requestParameters.functionName");
            }
            if (target.startsWith("arn:")) {
                target = unqualified(target, about);
            }
        }
        return new DeploymentEvent(id, action, account, region, target, null);
    }

    /** The API call failed: nothing was deployed, nothing is to be scanned. */
    public boolean failed() {
        return errorCode != null;
    }

    /** Publishing a version answers with the version's ARN ({@code ...:function:orders:7}); the scan is per function. */
    private static String unqualified(String functionArn, String about) {
        String[] parts = functionArn.split(":", -1);
        if (parts.length < UNQUALIFIED_FUNCTION_ARN_PARTS
                || parts.length > UNQUALIFIED_FUNCTION_ARN_PARTS + 1
                || !"lambda".equals(parts[2])
                || !"function".equals(parts[5])
                || parts[6].isEmpty()) {
            throw new IllegalArgumentException(about + ": '" + functionArn + "' is not a Lambda function ARN");
        }
        return String.join(":", Arrays.copyOf(parts, UNQUALIFIED_FUNCTION_ARN_PARTS));
    }

    private static Action action(String eventName, String id) {
        Matcher m = EVENT_NAME.matcher(eventName);
        if (m.matches()) {
            for (Action a : Action.values()) {
                if (a.apiName.equals(m.group(1))) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("event '" + id + "': '" + eventName + "' is not a deployment; expected"
                + " CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration or PublishLayerVersion");
    }
}
