package io.warden.aws.scan;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment that CloudTrail recorded and EventBridge delivered ({@code detail-type: AWS API Call via CloudTrail},
 * {@code source: aws.lambda}): {@code CreateFunction}, {@code UpdateFunctionCode} and
 * {@code UpdateFunctionConfiguration} name a function to rescan, {@code PublishLayerVersion} a layer version to scan.
 *
 * @param target the function's ARN or name, or the layer version's ARN
 * @param failed the API call itself failed ({@code errorCode} is set): nothing was deployed
 */
public record DeploymentEvent(Action action, String accountId, String region, String target, boolean failed) {
    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    public static final String SOURCE = "aws.lambda";
    /** CloudTrail names Lambda's calls with the API version: {@code UpdateFunctionCode20150331v2}. */
    private static final Pattern EVENT_NAME = Pattern.compile("([A-Za-z]+?)(\\d{8}(v\\d+)?)?");
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
        String detailType = root.path("detail-type").asText("");
        String source = root.path("source").asText("");
        if (!DETAIL_TYPE.equals(detailType) || !SOURCE.equals(source)) {
            throw new IllegalArgumentException("not a Lambda API call recorded by CloudTrail: detail-type '"
                    + detailType + "', source '" + source + "'");
        }
        JsonNode detail = root.path("detail");
        String eventName = detail.path("eventName").asText("");
        Action action = action(eventName);
        String account = detail.path("recipientAccountId").asText(root.path("account").asText(""));
        String region = detail.path("awsRegion").asText(root.path("region").asText(""));
        boolean failed = detail.hasNonNull("errorCode");
        JsonNode response = detail.path("responseElements");
        JsonNode request = detail.path("requestParameters");
        String target = action.isLayer()
                ? response.path("layerVersionArn").asText(null)
                : response.path("functionArn").asText(request.path("functionName").asText(null));
        if (!failed && (target == null || target.isBlank())) {
            throw new IllegalArgumentException(eventName + " event names no " + (action.isLayer()
                    ? "responseElements.layerVersionArn" : "responseElements.functionArn or requestParameters.functionName"));
        }
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException(eventName + " event has account '" + account + "', expected 12 digits");
        }
        if (region.isBlank()) {
            throw new IllegalArgumentException(eventName + " event names no region");
        }
        return new DeploymentEvent(action, account, region, target, failed);
    }

    private static Action action(String eventName) {
        Matcher m = EVENT_NAME.matcher(eventName);
        if (m.matches()) {
            for (Action a : Action.values()) {
                if (a.apiName.equals(m.group(1))) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("event '" + eventName + "' is not a deployment; expected CreateFunction,"
                + " UpdateFunctionCode, UpdateFunctionConfiguration or PublishLayerVersion");
    }
}
