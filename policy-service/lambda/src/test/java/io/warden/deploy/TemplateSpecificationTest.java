package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** template.yaml against the CloudFormation resource specification (npm @aws-cdk/cfnspec, SAM types included). */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@Tag("fast")
class TemplateSpecificationTest {

    static ResourceSpecification specification;
    static Template template;

    @BeforeAll
    static void load() throws IOException {
        specification = ResourceSpecification.load();
        template = Template.load();
    }

    @Test
    void everyResourceTypeAndPropertyIsInTheSpecification() {
        assertThat(template.resources().size()).isGreaterThan(10);
        assertThat(specification.problems(template)).isEmpty();
    }

    @Test
    void misspelledUnknownAndMissingPropertiesAreFoundAtEveryLevel() {
        ObjectNode root = template.root.deepCopy();
        ObjectNode resources = (ObjectNode) root.get("Resources");
        ((ObjectNode) resources.at("/ApiFunctionLogGroup/Properties")).set("RetentionDays", root.numberNode(7));
        ((ObjectNode) resources.at("/ScheduledScanFunction/Properties/Events/Schedule/Properties")).put("Cron", "x");
        ((ObjectNode) resources.at("/ViolationsTable/Properties/PointInTimeRecoverySpecification"))
                .put("Enabled", true);
        ((ObjectNode) resources.at("/FunctionsTable/Properties")).remove("KeySchema");
        ((ObjectNode) resources.at("/AlarmTopic")).put("Type", "AWS::SNS::Topics");
        ((ObjectNode) root.at("/Globals/Function")).put("Timeouts", 3);

        assertThat(specification.problems(Template.of(root)))
                .containsExactlyInAnyOrder(
                        "ApiFunctionLogGroup.Properties.RetentionDays: not a property of AWS::Logs::LogGroup",
                        "ScheduledScanFunction.Properties.Events.Schedule.Properties.Cron: not a property of"
                                + " AWS::Serverless::Function.ScheduleEvent",
                        "ViolationsTable.Properties.PointInTimeRecoverySpecification.Enabled: not a property of"
                                + " AWS::DynamoDB::Table.PointInTimeRecoverySpecification",
                        "FunctionsTable.Properties: required property KeySchema of AWS::DynamoDB::Table is missing",
                        "AlarmTopic: unknown resource type AWS::SNS::Topics",
                        "Globals.Function.Timeouts: not a property of AWS::Serverless::Function");
    }

    @Test
    void samPropertiesBeyondTheSpecificationAreUsedAndReallyMissingFromIt() {
        for (Map.Entry<String, Set<String>> addition :
                ResourceSpecification.SAM_PROPERTIES_NEWER_THAN_SPECIFICATION.entrySet()) {
            String name = addition.getKey();
            JsonNode properties = name.contains(".")
                    ? specification.spec.path("PropertyTypes").path(name).path("Properties")
                    : specification.resourceType(name).path("Properties");
            assertThat(properties.isObject()).as(name).isTrue();
            for (String property : addition.getValue()) {
                assertThat(properties.has(property)).as(name + "." + property).isFalse();
            }
        }
        assertThat(template.resources()
                        .at("/WardenLayer/Properties/CompatibleArchitectures")
                        .isArray())
                .isTrue();
        assertThat(template.resources()
                        .at("/WardenHttpApi/Properties/Auth/EnableIamAuthorizer")
                        .asBoolean())
                .isTrue();
    }
}
