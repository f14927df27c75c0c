package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's rules for the template (deploy-rules.guard: no wildcard IAM actions, secrets read by name only,
 * retention on every log group, point-in-time recovery on every table), checked by cfn-guard, the static binary npm
 * {@code @cdklabs/cdk-validator-cfnguard} ships.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@Tag("fast")
class DeployRulesTest {

    static final long GUARD_TIMEOUT_SECONDS = 60;
    static Template template;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() throws IOException {
        template = Template.load();
    }

    static Path cfnGuard() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "macos" : "ubuntu";
        Path binary = Template.npmModules()
                .resolve("@cdklabs/cdk-validator-cfnguard/bin")
                .resolve(os)
                .resolve(arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64")
                .resolve("cfn-guard");
        assertThat(binary)
                .as("cfn-guard, installed by the build (npm @cdklabs/cdk-validator-cfnguard)")
                .isExecutable();
        return binary;
    }

    static Path rules() throws IOException {
        Path rules = Files.createTempFile("deploy-rules", ".guard");
        try (var in = DeployRulesTest.class.getResourceAsStream("deploy-rules.guard")) {
            Files.write(rules, in.readAllBytes());
        }
        return rules;
    }

    /** cfn-guard's verdict on the file, as "rule path" of every failed check; empty when the file passes. */
    static List<String> violations(Path data) throws IOException, InterruptedException {
        Process guard = new ProcessBuilder(
                        cfnGuard().toString(),
                        "validate",
                        "--rules",
                        rules().toString(),
                        "--data",
                        data.toString(),
                        "--output-format",
                        "json",
                        "--show-summary",
                        "none")
                .redirectErrorStream(true)
                .start();
        byte[] output = guard.getInputStream().readAllBytes();
        assertThat(guard.waitFor(GUARD_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("cfn-guard finished")
                .isTrue();
        JsonNode report = Template.JSON.readTree(output);
        List<String> found = new ArrayList<>();
        for (JsonNode rule : report.path("not_compliant")) {
            for (JsonNode check : rule.at("/Rule/checks")) {
                JsonNode clause = check.path("Clause").elements().next().path("check");
                JsonNode result = clause.elements().next();
                String path = result.has("from")
                        ? result.at("/from/path").asText()
                        : result.at("/value/traversed_to/path").asText();
                found.add((rule.at("/Rule/name").asText() + " " + path).trim());
            }
        }
        assertThat(report.path("status").asText()).isEqualTo(found.isEmpty() ? "PASS" : "FAIL");
        return found;
    }

    @Test
    void templateFollowsTheRules() throws Exception {
        assertThat(violations(template.file)).isEmpty();
    }

    @Test
    void wildcardActionsUnscopedSecretReadsMissingRetentionAndRecoveryAreCaught() throws Exception {
        ObjectNode root = template.root.deepCopy();
        ObjectNode resources = (ObjectNode) root.get("Resources");
        ((ArrayNode) resources.at("/ApiFunction/Properties/Policies/0/Statement/0/Action")).set(0, "dynamodb:*");
        ((ArrayNode) resources.at("/ScanReadPolicy/Properties/PolicyDocument/Statement/2/Action"))
                .set(0, "lambda:Get*");
        ObjectNode everything =
                root.objectNode().put("Effect", "Allow").put("Action", "*").put("Resource", "*");
        ((ArrayNode) resources.at("/DeploymentScanFunction/Properties/Policies"))
                .add(root.objectNode().set("Statement", root.arrayNode().add(everything)));
        String signingKey = "/ApiFunction/Properties/Policies/0/Statement/" + statementIndex(resources, "SigningKey");
        ((ObjectNode) resources.at(signingKey)).put("Resource", "*");
        ((ObjectNode) resources.at("/ApiFunctionLogGroup/Properties")).remove("RetentionInDays");
        ((ObjectNode) resources.at("/ViolationsTable/Properties/PointInTimeRecoverySpecification"))
                .put("PointInTimeRecoveryEnabled", false);
        ((ObjectNode) resources.at("/TokensTable/Properties")).remove("PointInTimeRecoverySpecification");
        resources.set("Cache", root.objectNode().put("Type", "AWS::Serverless::SimpleTable"));
        Path changed = temp.resolve("changed-template.json");
        Template.JSON.writeValue(changed.toFile(), root);

        assertThat(violations(changed))
                .containsExactlyInAnyOrder(
                        "no_wildcard_actions_in_functions /Resources/ApiFunction/Properties/Policies/0/Statement/0/Action/0",
                        "no_wildcard_actions_in_functions /Resources/DeploymentScanFunction/Properties/Policies/3/Statement/0/Action",
                        "no_wildcard_actions_in_policies /Resources/ScanReadPolicy/Properties/PolicyDocument/Statement/2/Action/0",
                        "secret_reads_name_their_resources /Resources" + signingKey + "/Resource",
                        "log_groups_have_retention /Resources/ApiFunctionLogGroup/Properties",
                        "tables_have_point_in_time_recovery"
                                + " /Resources/ViolationsTable/Properties/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled",
                        "tables_have_point_in_time_recovery /Resources/TokensTable/Properties",
                        "no_simple_tables");
    }

    /** The index of the API function's statement with this Sid. */
    static int statementIndex(ObjectNode resources, String sid) {
        JsonNode statements = resources.at("/ApiFunction/Properties/Policies/0/Statement");
        for (int i = 0; i < statements.size(); i++) {
            if (sid.equals(statements.get(i).path("Sid").asText())) {
                return i;
            }
        }
        throw new AssertionError("ApiFunction has no statement " + sid);
    }

    @Test
    void everyFunctionLogsToALogGroupOfTheTemplate() {
        List<String> logGroupNames = new ArrayList<>();
        template.resourcesOfType("AWS::Logs::LogGroup")
                .values()
                .forEach(group -> logGroupNames.add(
                        group.at("/Properties/LogGroupName/Fn::Sub").asText()));
        List<String> functions = new ArrayList<>(
                template.resourcesOfType("AWS::Serverless::Function").keySet());

        assertThat(functions).hasSize(5);
        assertThat(logGroupNames)
                .containsExactlyInAnyOrderElementsOf(functions.stream()
                        .map(function -> "/aws/lambda/${" + function + "}")
                        .toList());
    }
}
