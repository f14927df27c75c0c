package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Every reference in template.yaml resolves, and every parameter and condition is used. */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@Tag("fast")
class TemplateReferencesTest {

    static ResourceSpecification specification;
    static Template template;

    @BeforeAll
    static void load() throws IOException {
        specification = ResourceSpecification.load();
        template = Template.load();
    }

    @Test
    void everyRefGetAttSubAndConditionResolves() {
        assertThat(TemplateReferences.check(template, specification).problems()).isEmpty();
    }

    @Test
    void everyParameterAndConditionIsUsed() {
        TemplateReferences references = TemplateReferences.check(template, specification);
        List<String> unused = new ArrayList<>();
        template.root.path("Parameters").fieldNames().forEachRemaining(unused::add);
        template.root.path("Conditions").fieldNames().forEachRemaining(unused::add);
        unused.removeAll(references.referenced);

        assertThat(unused).isEmpty();
    }

    @Test
    void unresolvedReferencesAreFoundWhereverTheyAre() {
        ObjectNode root = template.root.deepCopy();
        ObjectNode resources = (ObjectNode) root.get("Resources");
        ((ObjectNode) resources.at("/EgressDemoFunction/Properties"))
                .set("Layers", root.arrayNode().add(root.objectNode().put("Ref", "WardenLayerr")));
        ((ObjectNode) resources.at("/ApiFunctionLogGroup/Properties"))
                .set(
                        "LogGroupName",
                        root.objectNode()
                                .put("Fn::Sub", "/aws/lambda/${ApiFunction}-${Stage}-${!Literal}-${AWS::Region}"));
        ArrayNode arns = (ArrayNode) resources.at("/ApiFunction/Properties/Policies/0/Statement/0/Resource");
        arns.set(
                2,
                root.objectNode()
                        .set(
                                "Fn::GetAtt",
                                root.arrayNode().add("FunctionsTable").add("Arnn")));
        arns.set(4, root.objectNode().put("Fn::Sub", "${ScansTable.StreamArns}"));
        ((ObjectNode) resources.get("AlarmEmailSubscription")).put("Condition", "HasEmail");
        ((ObjectNode) resources.at("/LogIngestInvokePermission/Properties"))
                .set(
                        "FunctionName",
                        root.objectNode()
                                .set(
                                        "Fn::GetAtt",
                                        root.arrayNode()
                                                .add("LogIngestFunction")
                                                .add("Arnn")));

        assertThat(TemplateReferences.check(Template.of(root), specification).problems())
                .containsExactlyInAnyOrder(
                        "Resources.EgressDemoFunction.Properties.Layers[0]: Ref WardenLayerr names no parameter or resource",
                        "Resources.ApiFunctionLogGroup.Properties.LogGroupName.Fn::Sub: Ref Stage names no parameter or resource",
                        "Resources.ApiFunction.Properties.Policies[0].Statement[0].Resource[2]: AWS::DynamoDB::Table"
                                + " FunctionsTable has no attribute Arnn",
                        "Resources.ApiFunction.Properties.Policies[0].Statement[0].Resource[4].Fn::Sub: AWS::DynamoDB::Table"
                                + " ScansTable has no attribute StreamArns",
                        "AlarmEmailSubscription.Condition: condition HasEmail is not defined",
                        "Resources.LogIngestInvokePermission.Properties.FunctionName: AWS::Serverless::Function"
                                + " LogIngestFunction has no attribute Arnn");
    }
}
