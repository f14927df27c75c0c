package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.iam.IamPolicySuggestionTest;
import io.warden.aws.iam.PolicyDocument;
import io.warden.aws.iam.RolePermissions;
import io.warden.service.LocalService;
import io.warden.service.api.ServiceClient;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code warden iam suggest} on the data directory of a real {@code warden serve} that agents posted observations to,
 * and that {@code warden aws scan --data-dir} put the function's execution role in.
 */
class IamSuggestCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDirectory;

    void observedAndScanned() throws Exception {
        try (LocalService service =
                LocalService.start(dataDirectory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            ServiceClient client = new ServiceClient(service.baseUrl());
            String reporter = client.reporterToken(service.adminToken(), "orders");
            for (String line : IamPolicySuggestionTest.LINES) {
                HttpResponse<String> posted = client.postJson("/v1/observations", reporter, line);
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            }
        }
        try (SqliteStore store = SqliteStore.open(dataDirectory)) {
            store.findings()
                    .putFunction(
                            IamPolicySuggestionTest.deployed(
                                    new RolePermissions(
                                            "arn:aws:iam::123456789012:role/orders-role",
                                            List.of(),
                                            List.of(
                                                    new RolePermissions.NamedPolicy(
                                                            "inline:all",
                                                            PolicyDocument.parse(
                                                                    "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"))))));
        }
    }

    @Test
    void printsThePolicyTheSamSnippetAndTheComparison() throws Exception {
        observedAndScanned();
        PolicySuggestCommandTest.Run full =
                PolicySuggestCommandTest.run("iam", "suggest", "orders", "--data-dir", dataDirectory.toString());
        assertThat(full.exitCode()).as(full.err()).isZero();
        JsonNode json = JSON.readTree(full.out());
        assertThat(json.get("confidence").get("observationLines").asLong()).isEqualTo(2);
        assertThat(json.get("role").get("wildcards"))
                .singleElement()
                .satisfies(w -> assertThat(w.get("action").asText()).isEqualTo("*"));
        assertThat(json.get("role").get("missing")).isEmpty();

        PolicySuggestCommandTest.Run policy = PolicySuggestCommandTest.run(
                "iam", "suggest", "orders", "--data-dir", dataDirectory.toString(), "--format", "policy");
        assertThat(policy.exitCode()).as(policy.err()).isZero();
        JsonNode document = JSON.readTree(policy.out());
        assertThat(document).isEqualTo(json.get("policy"));
        assertThat(IamPolicySuggestionTest.decisions(document, IamPolicySuggestionTest.OBSERVED))
                .allMatch(d -> d.endsWith("Allowed"));

        PolicySuggestCommandTest.Run sam = PolicySuggestCommandTest.run(
                "iam", "suggest", "orders", "--data-dir", dataDirectory.toString(), "--format", "sam");
        assertThat(sam.exitCode()).as(sam.err()).isZero();
        JsonNode fromYaml = JSON.valueToTree(new Yaml().load(sam.out()));
        assertThat(fromYaml.get("Policies").get(0)).isEqualTo(document);
    }

    @Test
    void refusesAMissingStoreAndABadName() {
        PolicySuggestCommandTest.Run missing = PolicySuggestCommandTest.run(
                "iam",
                "suggest",
                "orders",
                "--data-dir",
                dataDirectory.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("holds no store");
        PolicySuggestCommandTest.Run bad =
                PolicySuggestCommandTest.run("iam", "suggest", "orders/x", "--data-dir", dataDirectory.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a Lambda function name");
    }
}
