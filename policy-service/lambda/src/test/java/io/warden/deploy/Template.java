package io.warden.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The repository's template.yaml as CloudFormation reads it: short-form tags ({@code !Ref}, {@code !GetAtt},
 * {@code !Sub}, {@code !If}, ...) become their long forms ({@code Ref}, {@code Fn::GetAtt}, ...), so the rest of the
 * tests see one shape.
 */
final class Template {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    final JsonNode root;

    private Template(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static Path repository() {
        return Path.of(System.getProperty("warden.repository")).toAbsolutePath().normalize();
    }

    static Path npmModules() {
        return Path.of(System.getProperty("warden.npm"));
    }

    /** The repository's template. */
    static Template load() throws IOException {
        return load(repository().resolve("template.yaml"));
    }

    /** A template held in memory, e.g. a changed copy of the repository's. */
    static Template of(JsonNode root) {
        return new Template(null, root);
    }

    static Template load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new CloudFormationConstructor()).load(reader);
            return new Template(file, JSON.valueToTree(document));
        }
    }

    JsonNode resources() {
        return root.path("Resources");
    }

    /** Logical ids and resources of one type, in template order. */
    Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources().properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    /** Is this value an intrinsic function ({@code {"Ref": ...}} or {@code {"Fn::...": ...}})? */
    static boolean isIntrinsic(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            return false;
        }
        String key = value.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
    }

    /** Reads {@code !Name value} as {@code {"Fn::Name": value}}, {@code !Ref} and {@code !Condition} as themselves. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        String text = constructScalar(scalar);
                        // !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"].
                        value = name.equals("GetAtt") && text.contains(".")
                                ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1))
                                : text;
                    } else if (node instanceof SequenceNode sequence) {
                        value = new ArrayList<>(constructSequence(sequence));
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(key, value);
                }
            });
        }
    }
}
