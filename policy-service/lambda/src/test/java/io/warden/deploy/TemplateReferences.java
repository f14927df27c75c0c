package io.warden.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a template's references: {@code Ref}, {@code Fn::GetAtt} (attribute names from the resource
 * specification), the variables of {@code Fn::Sub}, conditions ({@code Condition}, {@code Fn::If}) and
 * {@code DependsOn}.
 */
final class TemplateReferences {

    static final Set<String> PSEUDO_PARAMETERS = Set.of(
            "AWS::AccountId",
            "AWS::NotificationARNs",
            "AWS::NoValue",
            "AWS::Partition",
            "AWS::Region",
            "AWS::StackId",
            "AWS::StackName",
            "AWS::URLSuffix");
    /** ${Name} or ${Resource.Attribute}; ${!Literal} is not a variable. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private final Template template;
    private final ResourceSpecification specification;
    private final List<String> problems = new ArrayList<>();
    /** Parameters, resources and conditions some reference names. */
    final Set<String> referenced = new HashSet<>();

    private TemplateReferences(Template template, ResourceSpecification specification) {
        this.template = template;
        this.specification = specification;
    }

    /** Every reference that does not resolve, each with where it is; empty when all do. */
    static TemplateReferences check(Template template, ResourceSpecification specification) {
        TemplateReferences references = new TemplateReferences(template, specification);
        template.root.properties().forEach(section -> references.walk(section.getValue(), section.getKey(), Set.of()));
        template.resources().properties().forEach(resource -> {
            JsonNode condition = resource.getValue().path("Condition");
            if (condition.isTextual()) {
                references.condition(condition.asText(), resource.getKey() + ".Condition");
            }
            JsonNode dependsOn = resource.getValue().path("DependsOn");
            (dependsOn.isArray() ? dependsOn : List.of(dependsOn)).forEach(name -> {
                if (name.isTextual()) {
                    references.resource(name.asText(), resource.getKey() + ".DependsOn");
                }
            });
        });
        return references;
    }

    List<String> problems() {
        return problems;
    }

    private void walk(JsonNode node, String path, Set<String> subLocals) {
        if (node.isObject() && node.size() == 1) {
            String key = node.fieldNames().next();
            JsonNode argument = node.get(key);
            switch (key) {
                case "Ref" -> ref(argument.asText(), path, subLocals);
                case "Fn::GetAtt" -> getAtt(argument, path);
                case "Fn::Sub" -> sub(argument, path, subLocals);
                case "Fn::If" -> condition(argument.path(0).asText(), path + ".Fn::If");
                case "Condition" -> condition(argument.asText(), path + ".Condition");
                default -> {}
            }
        }
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (!(entry.getKey().equals("Fn::Sub"))) {
                    walk(entry.getValue(), path + "." + entry.getKey(), subLocals);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", subLocals);
            }
        }
    }

    private void ref(String name, String path, Set<String> subLocals) {
        if (subLocals.contains(name) || PSEUDO_PARAMETERS.contains(name)) {
            return;
        }
        if (template.root.path("Parameters").has(name) || template.resources().has(name)) {
            referenced.add(name);
        } else {
            problems.add(path + ": Ref " + name + " names no parameter or resource");
        }
    }

    private void getAtt(JsonNode argument, String path) {
        if (!argument.isArray() || argument.size() != 2) {
            problems.add(path + ": Fn::GetAtt needs [resource, attribute], found " + argument);
            return;
        }
        attribute(argument.get(0).asText(), argument.get(1).asText(), path);
    }

    private void attribute(String resource, String attribute, String path) {
        if (!template.resources().has(resource)) {
            problems.add(path + ": " + resource + "." + attribute + " names no resource");
            return;
        }
        referenced.add(resource);
        String type = template.resources().path(resource).path("Type").asText();
        // SAM's function answers Fn::GetAtt with the attributes of the AWS::Lambda::Function it becomes (its Arn).
        String attributesOf = type.equals("AWS::Serverless::Function") ? "AWS::Lambda::Function" : type;
        if (!specification.resourceType(attributesOf).path("Attributes").has(attribute)) {
            problems.add(path + ": " + type + " " + resource + " has no attribute " + attribute);
        }
    }

    private void sub(JsonNode argument, String path, Set<String> outerLocals) {
        String text;
        Set<String> locals = new HashSet<>(outerLocals);
        if (argument.isArray()) {
            text = argument.path(0).asText();
            argument.path(1).fieldNames().forEachRemaining(locals::add);
            walk(argument.path(1), path + ".Fn::Sub[1]", outerLocals);
        } else {
            text = argument.asText();
        }
        Matcher variables = SUB_VARIABLE.matcher(text);
        while (variables.find()) {
            String variable = variables.group(1).trim();
            int dot = variable.indexOf('.');
            if (dot > 0 && !variable.startsWith("AWS::")) {
                attribute(variable.substring(0, dot), variable.substring(dot + 1), path + ".Fn::Sub");
            } else {
                ref(variable, path + ".Fn::Sub", locals);
            }
        }
    }

    private void condition(String name, String path) {
        if (template.root.path("Conditions").has(name)) {
            referenced.add(name);
        } else {
            problems.add(path + ": condition " + name + " is not defined");
        }
    }

    private void resource(String name, String path) {
        if (template.resources().has(name)) {
            referenced.add(name);
        } else {
            problems.add(path + ": " + name + " names no resource");
        }
    }
}
