package io.warden.aws.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An IAM policy document (identity or resource policy), parsed with Jackson.
 *
 * @param json the document as it was parsed (the inventory keeps it)
 */
public record PolicyDocument(List<PolicyStatement> statements, String json) {
    /** Far above IAM's and Lambda's own limits on policy size: anything longer is not a policy. */
    public static final int MAX_DOCUMENT_CHARS = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    /** A document as IAM returns it: URL-encoded JSON. */
    public static PolicyDocument parseUrlEncoded(String encoded) {
        String decoded;
        try {
            decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "policy document is not URL-encoded (" + e.getMessage() + "): " + excerpt(encoded), e);
        }
        return parse(decoded);
    }

    public static PolicyDocument parse(String json) {
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new IllegalArgumentException(
                    "policy document of " + json.length() + " characters exceeds " + MAX_DOCUMENT_CHARS);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "policy document is not JSON (" + e.getOriginalMessage() + "): " + excerpt(json), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("policy document is not a JSON object: " + excerpt(json));
        }
        JsonNode statement = root.get("Statement");
        List<PolicyStatement> statements = new ArrayList<>();
        if (statement != null && statement.isArray()) {
            for (JsonNode s : statement) {
                statements.add(statement(s, json));
            }
        } else if (statement != null) {
            statements.add(statement(statement, json));
        }
        return new PolicyDocument(statements, json);
    }

    private static PolicyStatement statement(JsonNode s, String json) {
        if (!s.isObject()) {
            throw new IllegalArgumentException(
                    "policy statement is not a JSON object: " + excerpt(s.toString()) + " in " + excerpt(json));
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException(
                    "policy statement has Effect '" + effect + "', expected Allow or Deny: " + excerpt(s.toString()));
        }
        JsonNode condition = s.get("Condition");
        return new PolicyStatement(
                s.path("Sid").asText(""),
                effect.equals("Allow"),
                principals(s.get("Principal")),
                strings(s.get("Action")),
                strings(s.get("NotAction")),
                strings(s.get("Resource")),
                condition != null && condition.isObject() && !condition.isEmpty());
    }

    private static List<String> principals(JsonNode principal) {
        if (principal == null) {
            return List.of();
        }
        if (principal.isTextual()) {
            return List.of(principal.asText());
        }
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : principal.properties()) {
            for (String value : strings(e.getValue())) {
                all.add(e.getKey() + ":" + value);
            }
        }
        return all;
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.asText()));
            return values;
        }
        return List.of(node.asText());
    }

    private static String excerpt(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
