package io.warden.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The IAM policy simulator {@code @cloud-copilot/iam-simulate}, run through node ({@code iam/simulate.mjs}): how AWS
 * would decide requests of the function's role under an identity policy.
 */
public final class IamSimulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "123456789012";
    static final String PRINCIPAL = "arn:aws:sts::" + ACCOUNT + ":assumed-role/orders-role/orders";

    /** One request: the action, the resource it is on, the context keys it carries, the resource's own policy. */
    public record Request(String action, String resource, ObjectNode context, JsonNode resourcePolicy) {
        public static Request of(String action, String resource) {
            return new Request(action, resource, JSON.createObjectNode(), null);
        }

        /** On a KMS key with its default key policy (the account may delegate to IAM), named by its aliases. */
        public static Request onKey(String action, String keyArn, String... aliases) {
            ObjectNode context = JSON.createObjectNode();
            ArrayNode names = context.putArray("kms:ResourceAliases");
            for (String alias : aliases) {
                names.add(alias);
            }
            ObjectNode keyPolicy = JSON.createObjectNode().put("Version", "2012-10-17");
            keyPolicy
                    .putArray("Statement")
                    .addObject()
                    .put("Effect", "Allow")
                    .put("Action", "kms:*")
                    .put("Resource", "*")
                    .putObject("Principal")
                    .put("AWS", "arn:aws:iam::" + ACCOUNT + ":root");
            return new Request(action, keyArn, context, keyPolicy);
        }

        @Override
        public String toString() {
            return action + " on " + resource + (context.isEmpty() ? "" : " " + context);
        }
    }

    private IamSimulator() {}

    /** The simulator's overall result for each request ({@code Allowed}, {@code ImplicitlyDenied}, ...). */
    public static List<String> decide(JsonNode policy, List<Request> requests)
            throws IOException, InterruptedException {
        ObjectNode input = JSON.createObjectNode();
        input.set("policy", policy);
        input.put("principal", PRINCIPAL);
        ArrayNode array = input.putArray("requests");
        for (Request r : requests) {
            ObjectNode n = array.addObject()
                    .put("action", r.action())
                    .put("resource", r.resource())
                    .put("accountId", ACCOUNT);
            n.set("context", r.context());
            if (r.resourcePolicy() != null) {
                n.set("resourcePolicy", r.resourcePolicy());
            }
        }
        Process node = new ProcessBuilder("node", "simulate.mjs")
                .directory(IamReference.dir().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (OutputStream in = node.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(input));
        }
        byte[] out = node.getInputStream().readAllBytes();
        if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
            node.destroyForcibly();
            throw new IllegalStateException("the IAM simulator failed: " + new String(out, StandardCharsets.UTF_8));
        }
        List<String> results = new ArrayList<>();
        for (JsonNode r : JSON.readTree(out)) {
            if (!r.isTextual()) {
                throw new IllegalStateException("the IAM simulator refused a request: " + r);
            }
            results.add(r.asText());
        }
        return results;
    }
}
