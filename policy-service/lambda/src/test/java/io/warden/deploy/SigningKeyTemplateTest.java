package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.fake.FakeAws;
import io.warden.service.lambda.SigningKeySecret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The policy signing key is in Secrets Manager, not in the template's parameters or any function's configuration: the
 * API function is given the secret's ARN, and its role may read that secret and nothing else of Secrets Manager, SSM
 * or KMS; no other function may read a secret at all.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
class SigningKeyTemplateTest {

    static Template template;

    @BeforeAll
    static void load() throws IOException {
        template = Template.load();
    }

    /** Every IAM statement of the template (functions' inline policies, managed policies, roles), by where it is. */
    static Map<String, JsonNode> statements() {
        Map<String, JsonNode> statements = new LinkedHashMap<>();
        template.resources().properties().forEach(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            List<JsonNode> documents = new ArrayList<>();
            properties.path("Policies").forEach(policy -> {
                documents.add(policy);
                documents.add(policy.path("PolicyDocument"));
            });
            documents.add(properties.path("PolicyDocument"));
            for (JsonNode document : documents) {
                document.path("Statement")
                        .forEach(statement -> statements.put(
                                resource.getKey() + "/" + statement.path("Sid").asText(statements.size() + ""),
                                statement));
            }
        });
        return statements;
    }

    @Test
    void onlyTheApiFunctionReadsASecretAndOnlyTheSigningKeys() {
        Map<String, JsonNode> secretReads = new LinkedHashMap<>();
        statements().forEach((where, statement) -> {
            JsonNode action = statement.path("Action");
            List<String> actions = new ArrayList<>();
            if (action.isTextual()) {
                actions.add(action.asText());
            }
            action.forEach(each -> actions.add(each.asText()));
            if (actions.stream().anyMatch(each -> each.matches("(?i)(secretsmanager|ssm|kms):.*"))) {
                secretReads.put(where, statement);
            }
        });

        assertThat(secretReads).containsOnlyKeys("ApiFunction/SigningKey");
        JsonNode statement = secretReads.get("ApiFunction/SigningKey");
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.path("Action"))
                .containsExactly(Template.JSON.getNodeFactory().textNode("secretsmanager:GetSecretValue"));
        assertThat(statement.path("Resource"))
                .as("the one secret the function is told to read")
                .isEqualTo(template.resources()
                        .at("/ApiFunction/Properties/Environment/Variables/" + SigningKeySecret.SECRET));
        assertThat(statement.at("/Resource/Ref").asText()).isEqualTo("SigningKeySecretArn");
    }

    @Test
    void noParameterOrVariableCarriesTheKeyItself() {
        template.root
                .path("Parameters")
                .properties()
                .forEach(parameter -> assertThat(
                                parameter.getValue().path("NoEcho").asBoolean())
                        .as(parameter.getKey() + " is not a secret")
                        .isFalse());
        JsonNode parameter = template.root.at("/Parameters/SigningKeySecretArn");
        assertThat(parameter.path("Default").isMissingNode())
                .as("the operator names the secret")
                .isTrue();
        Pattern arn = Pattern.compile(parameter.path("AllowedPattern").asText());
        try (FakeAws aws = FakeAws.start("123456789012")) {
            assertThat(aws.home().secret("eu-west-1", "warden/signing-key", "x"))
                    .as("an ARN as Secrets Manager makes them")
                    .matches(arn);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:signing_key-Ab12Cd")
                .matches(arn);
        assertThat(List.of(
                        "warden/signing-key",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:warden/signing-key",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",
                        "arn:aws:ssm:eu-west-1:123456789012:parameter/warden-AbCdEf",
                        "*"))
                .as("names, partial ARNs and wildcards")
                .noneMatch(value -> arn.matcher(value).matches());
    }
}
