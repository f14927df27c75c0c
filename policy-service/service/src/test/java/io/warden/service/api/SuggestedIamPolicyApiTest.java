package io.warden.service.api;

import static io.warden.service.api.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.aws.iam.IamPolicySuggestionTest;
import io.warden.aws.iam.PolicyDocument;
import io.warden.aws.iam.RolePermissions;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/functions/{function}/suggested-iam-policy} over real HTTP on the SQLite store: observations posted
 * through {@code POST /v1/observations}, the execution role from the AWS scan's inventory, the answer's policy evaluated
 * by the IAM policy simulator.
 */
class SuggestedIamPolicyApiTest extends ServiceOnLoopback {
    static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:orders";

    JsonNode suggestion(String function, String token, int status) {
        HttpResponse<String> response = client.get("/v1/functions/" + function + "/suggested-iam-policy", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response.body());
    }

    void observe() {
        for (String line : IamPolicySuggestionTest.LINES) {
            HttpResponse<String> posted = client.postJson("/v1/observations", reporter, line);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        }
    }

    void inventory() {
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.findings().putFunction(IamPolicySuggestionTest.deployed(role("orders")));
        }
    }

    /**
     * An execution role that grants DynamoDB on every resource (a wildcard the observed calls narrow) and a queue
     * purge nothing observed (unused), and nothing else the observed calls need (missing).
     */
    static RolePermissions role(String function) {
        return new RolePermissions(
                "arn:aws:iam::123456789012:role/" + function + "-role",
                List.of(),
                List.of(new RolePermissions.NamedPolicy("inline:" + function, PolicyDocument.parse("""
                                {"Version":"2012-10-17","Statement":[
                                 {"Sid":"Data","Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
                                 {"Sid":"Queue","Effect":"Allow","Action":"sqs:PurgeQueue",
                                  "Resource":"arn:aws:sqs:eu-west-1:123456789012:orders-dlq"}]}
                                """))));
    }

    @Test
    void suggestsWhatTheObservedCallsNeedAndComparesTheRole() throws Exception {
        observe();
        inventory();
        JsonNode answer = suggestion("orders", admin, 200);

        assertThat(answer.get("functionArn").asText()).isEqualTo(ARN);
        assertThat(answer.get("confidence").get("observationLines").asLong()).isEqualTo(2);
        assertThat(answer.get("confidence").get("versions"))
                .extracting(JsonNode::asText)
                .containsExactly("1", "2");
        JsonNode policy = answer.get("policy");
        assertThat(IamPolicySuggestionTest.decisions(policy, IamPolicySuggestionTest.OBSERVED))
                .allMatch(d -> d.endsWith("Allowed"));
        assertThat(IamPolicySuggestionTest.decisions(policy, IamPolicySuggestionTest.UNOBSERVED))
                .allMatch(d -> d.endsWith("ImplicitlyDenied"));
        assertThat(answer.get("sam").asText()).startsWith("Policies:\n  - Version: '2012-10-17'\n");

        JsonNode role = answer.get("role");
        assertThat(role.get("arn").asText()).isEqualTo("arn:aws:iam::123456789012:role/orders-role");
        assertThat(role.get("unused"))
                .singleElement()
                .satisfies(u -> assertThat(u.get("action").asText()).isEqualTo("sqs:PurgeQueue"));
        assertThat(role.get("wildcards")).singleElement().satisfies(w -> {
            assertThat(w.get("action").asText()).isEqualTo("dynamodb:*");
            assertThat(w.get("needed"))
                    .extracting(JsonNode::asText)
                    .contains("dynamodb:GetItem on arn:aws:dynamodb:eu-west-1:123456789012:table/orders");
        });
        // Everything but DynamoDB is missing from this role.
        assertThat(role.get("missing"))
                .extracting(m -> m.get("action").asText())
                .contains("s3:GetObject", "sqs:SendMessage", "kms:Decrypt")
                .doesNotContain("dynamodb:GetItem");
    }

    @Test
    void withoutObservationsOrInventoryItGrantsNothingAndSaysWhy() {
        JsonNode answer = suggestion("billing", admin, 200);
        assertThat(answer.get("policy").get("Statement")).isEmpty();
        assertThat(answer.get("confidence").get("observationLines").asLong()).isZero();
        assertThat(answer.get("role").isNull()).isTrue();
        assertThat(answer.get("roleNote").asText()).contains("no function named billing");
    }

    @Test
    void readersOnlyAndFunctionNamesChecked() {
        assertThat(suggestion("orders", reporter, 403).get("error").asText()).isEqualTo("forbidden");
        assertThat(suggestion("orders", "not-a-token", 401).get("error").asText())
                .isEqualTo("unauthorized");
        assertThat(suggestion("orders%2Fx", admin, 400).get("error").asText()).isEqualTo("bad_request");
    }
}
