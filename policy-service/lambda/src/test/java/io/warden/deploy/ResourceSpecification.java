package io.warden.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CloudFormation resource specification that npm {@code @aws-cdk/cfnspec} ships (SAM's resource types
 * included), and the check of a template's resources against it: known types, known property names at every level,
 * required properties present.
 */
final class ResourceSpecification {

    /**
     * SAM properties newer than the specification's SAM section, as SAM documents them (developer guide,
     * AWS::Serverless::LayerVersion and HttpApiAuth). Each is accepted only where listed.
     */
    static final Map<String, Set<String>> SAM_PROPERTIES_NEWER_THAN_SPECIFICATION = Map.of(
            "AWS::Serverless::LayerVersion", Set.of("CompatibleArchitectures"),
            "AWS::Serverless::HttpApi.HttpApiAuth", Set.of("EnableIamAuthorizer"));

    private static final Set<String> COLLECTIONS = Set.of("List", "Map");

    /** Read once per test JVM: several test classes check against it, and nothing changes it. */
    private static ResourceSpecification loaded;

    final JsonNode spec;

    private ResourceSpecification(JsonNode spec) {
        this.spec = spec;
    }

    static synchronized ResourceSpecification load() throws IOException {
        if (loaded == null) {
            Path file = Template.npmModules().resolve("@aws-cdk/cfnspec/spec/specification.json");
            loaded = new ResourceSpecification(Template.JSON.readTree(file.toFile()));
        }
        return loaded;
    }

    JsonNode resourceType(String type) {
        return spec.path("ResourceTypes").path(type);
    }

    /** Every problem of the template's resources, each naming where it is; empty when they all conform. */
    List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        template.resources().properties().forEach(entry -> {
            String type = entry.getValue().path("Type").asText();
            JsonNode typeSpec = resourceType(type);
            if (typeSpec.isMissingNode()) {
                problems.add(entry.getKey() + ": unknown resource type " + type);
                return;
            }
            checkObject(
                    type,
                    type,
                    typeSpec.path("Properties"),
                    entry.getValue().path("Properties"),
                    entry.getKey() + ".Properties",
                    true,
                    problems);
        });
        template.root
                .path("Globals")
                .properties()
                .forEach(entry -> checkObject(
                        "AWS::Serverless::" + entry.getKey(),
                        "AWS::Serverless::" + entry.getKey(),
                        resourceType("AWS::Serverless::" + entry.getKey()).path("Properties"),
                        entry.getValue(),
                        "Globals." + entry.getKey(),
                        false,
                        problems));
        return problems;
    }

    /**
     * @param resourceType the resource type whose property types are in scope
     * @param specName the name additions are listed under (resource type, or resource type "." property type)
     */
    private void checkObject(
            String resourceType,
            String specName,
            JsonNode propertySpecs,
            JsonNode value,
            String path,
            boolean checkRequired,
            List<String> problems) {
        if (Template.isIntrinsic(value)) {
            return;
        }
        if (!value.isObject()) {
            problems.add(path + ": expected an object for " + specName + ", found " + value);
            return;
        }
        Set<String> additions = SAM_PROPERTIES_NEWER_THAN_SPECIFICATION.getOrDefault(specName, Set.of());
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode propertySpec = propertySpecs.path(name);
            if (propertySpec.isMissingNode()) {
                if (!additions.contains(name)) {
                    problems.add(path + "." + name + ": not a property of " + specName);
                }
                continue;
            }
            checkValue(resourceType, propertySpec, value.get(name), value, path + "." + name, problems);
        }
        if (checkRequired) {
            propertySpecs.properties().forEach(entry -> {
                if (entry.getValue().path("Required").asBoolean() && !value.has(entry.getKey())) {
                    problems.add(path + ": required property " + entry.getKey() + " of " + specName + " is missing");
                }
            });
        }
    }

    private void checkValue(
            String resourceType,
            JsonNode propertySpec,
            JsonNode value,
            JsonNode owner,
            String path,
            List<String> problems) {
        if (Template.isIntrinsic(value)) {
            return;
        }
        if (value.isArray() || "Map".equals(propertySpec.path("Type").asText())) {
            List<String> itemTypes = typeNames(propertySpec, "ItemType", "ItemTypes", "InclusiveItemTypes");
            Iterator<Map.Entry<String, JsonNode>> items =
                    value.isArray() ? indexed(value) : value.properties().iterator();
            while (!itemTypes.isEmpty() && items.hasNext()) {
                Map.Entry<String, JsonNode> item = items.next();
                checkOneOf(
                        resourceType,
                        itemTypes,
                        item.getValue(),
                        item.getValue(),
                        path + "." + item.getKey(),
                        problems);
            }
            return;
        }
        List<String> types = typeNames(propertySpec, "Type", "Types");
        if (!types.isEmpty()) {
            checkOneOf(resourceType, types, value, owner, path, problems);
        }
    }

    /**
     * Checks the value against the one candidate property type that fits: the one SAM's {@code Type} field names
     * (an event source of {@code Type: HttpApi} is an {@code HttpApiEvent}), else the first whose property names
     * include all of the value's.
     */
    private void checkOneOf(
            String resourceType,
            List<String> candidates,
            JsonNode value,
            JsonNode owner,
            String path,
            List<String> problems) {
        if (!value.isObject() || Template.isIntrinsic(value)) {
            return;
        }
        String chosen = null;
        String declared = owner.path("Type").asText(null);
        if (declared != null && candidates.contains(declared + "Event")) {
            chosen = declared + "Event";
        }
        for (int i = 0; chosen == null && i < candidates.size(); i++) {
            JsonNode properties = propertyType(resourceType, candidates.get(i)).path("Properties");
            boolean fits = true;
            for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                fits &= properties.has(names.next());
            }
            if (fits) {
                chosen = candidates.get(i);
            }
        }
        if (chosen == null) {
            chosen = candidates.get(0);
        }
        String qualified = resourceType + "." + chosen;
        checkObject(
                resourceType,
                qualified,
                propertyType(resourceType, chosen).path("Properties"),
                value,
                path,
                true,
                problems);
    }

    private JsonNode propertyType(String resourceType, String name) {
        JsonNode scoped = spec.path("PropertyTypes").path(resourceType + "." + name);
        return scoped.isMissingNode() ? spec.path("PropertyTypes").path(name) : scoped;
    }

    private static List<String> typeNames(JsonNode propertySpec, String... fields) {
        List<String> names = new ArrayList<>();
        for (String field : fields) {
            JsonNode node = propertySpec.path(field);
            if (node.isTextual() && !COLLECTIONS.contains(node.asText())) {
                names.add(node.asText());
            } else if (node.isArray()) {
                node.forEach(name -> names.add(name.asText()));
            }
        }
        return names;
    }

    private static Iterator<Map.Entry<String, JsonNode>> indexed(JsonNode array) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            entries.add(Map.entry("[" + i + "]", array.get(i)));
        }
        return entries.iterator();
    }
}
