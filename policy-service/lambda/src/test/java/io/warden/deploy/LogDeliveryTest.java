package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.invoke.FunctionSpec;
import io.warden.invoke.InvokeRun;
import io.warden.invoke.LocalLambda;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.lambda.CloudWatchLogsPayloads;
import io.warden.service.store.Dynalite;
import io.warden.service.store.ViolationQuery;
import io.warden.service.store.dynamodb.DynamoDbStore;
import io.warden.service.store.dynamodb.ServiceTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Violations and observations reach the service through the function's log, as the template wires it: the example runs
 * under the built layer with its demo policy (observing) on the real Lambda runtime client, the lines its subscription
 * filter selects are delivered in CloudWatch Logs' format (one batch of them twice, as a retried delivery is), and the
 * ingest function's jar alone, run by the local runtime with the template's handler, stores them in the template's
 * tables: every violation the log holds is in the service once, and every item it observed.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@ExtendWith(Dynalite.Resolver.class)
class LogDeliveryTest {

    static final String FUNCTION = "egress-demo";

    /** The line's {@code warden} field, as the subscription filter pattern reads it, or null. */
    static String kind(String line) {
        try {
            JsonNode json = Template.JSON.readTree(line);
            return json != null && json.isObject() ? json.path("warden").asText(null) : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** What the pattern { ($.warden = "violation") || ($.warden = "observation") } selects. */
    static boolean selected(String line) {
        return Violation.KIND.equals(kind(line)) || Observation.KIND.equals(kind(line));
    }

    @Test
    void everyViolationAndObservationTheExampleLogsIsStoredThroughTheIngestFunction(
            Dynalite dynalite, @TempDir Path work) throws Exception {
        Template template = Template.load();
        Path repository = Template.repository();
        InvokeRun example = LocalLambda.invoke(
                FunctionSpec.builder(
                                repository.resolve("examples/egress-demo/target/egress-demo.zip"),
                                template.resources()
                                        .at("/EgressDemoFunction/Properties/Handler")
                                        .asText())
                        .layer(repository.resolve("layer/target/warden-layer.zip"))
                        .policy(learning(repository.resolve("examples/egress-demo/policy.json"), work))
                        .functionName(FUNCTION)
                        .build(),
                List.of(Files.readAllBytes(repository.resolve("examples/egress-demo/event.json"))),
                line -> {});
        assertThat(example.allSucceeded()).as(String.join("\n", example.log())).isTrue();
        List<String> lines =
                example.log().stream().filter(LogDeliveryTest::selected).toList();
        List<String> logged = lines.stream()
                .filter(line -> Violation.KIND.equals(kind(line)))
                .map(line -> ViolationJson.parse(line).id())
                .toList();
        assertThat(logged)
                .as("the exfiltration's lookup, the environment read and the shell, each blocked")
                .hasSizeGreaterThanOrEqualTo(3);
        List<ObservedItem> observed = lines.stream()
                .filter(line -> Observation.KIND.equals(kind(line)))
                .flatMap(line -> ObservationJson.parse(line).items().stream())
                .toList();
        assertThat(observed).as("what the example did, observed").isNotEmpty();

        String stackName = "delivery" + Dynalite.newTablePrefix().replace("-", "");
        TemplateTablesTest.createTemplateTables(template, dynalite.client(), stackName);
        String prefix = TemplateTablesTest.tablePrefix(template, "LogIngestFunction", stackName);
        String logGroup = "/aws/lambda/" + FUNCTION;
        String stream = CloudWatchLogsPayloads.lambdaLogStream();
        int half = lines.size() / 2;
        String first =
                CloudWatchLogsPayloads.event(CloudWatchLogsPayloads.batch(logGroup, stream, lines.subList(0, half)));
        String second = CloudWatchLogsPayloads.event(
                CloudWatchLogsPayloads.batch(logGroup, stream, lines.subList(half, lines.size())));

        InvokeRun ingest = LocalLambda.invoke(
                FunctionSpec.builder(
                                ingestPackage(work),
                                template.resources()
                                        .at("/LogIngestFunction/Properties/Handler")
                                        .asText())
                        .layer(null)
                        .functionName("warden-ingest")
                        .env(Map.of(
                                ServiceTables.TABLE_PREFIX,
                                prefix,
                                ServiceTables.DYNAMODB_ENDPOINT,
                                dynalite.endpoint().toString(),
                                "AWS_ACCESS_KEY_ID",
                                "test",
                                "AWS_SECRET_ACCESS_KEY",
                                "test"))
                        .build(),
                List.of(first, second, second).stream()
                        .map(event -> event.getBytes(StandardCharsets.UTF_8))
                        .toList(),
                line -> {});

        assertThat(ingest.allSucceeded()).as(String.join("\n", ingest.log())).isTrue();
        List<JsonNode> summaries = new ArrayList<>();
        for (var result : ingest.results()) {
            summaries.add(Template.JSON.readTree(
                    Template.JSON.readTree(result.payload()).asText()));
        }
        assertThat(summaries.stream()
                        .mapToInt(summary -> summary.get("accepted").asInt())
                        .sum())
                .as("every violation stored")
                .isEqualTo(logged.size());
        assertThat(summaries.get(2).get("accepted").asInt())
                .as("the batch delivered again")
                .isZero();
        assertThat(summaries.get(2).get("duplicates").asInt())
                .isEqualTo(summaries.get(1).get("accepted").asInt());
        assertThat(summaries)
                .allSatisfy(
                        summary -> assertThat(summary.get("rejected").asInt()).isZero());

        DynamoDbStore store = new DynamoDbStore(dynalite.client(), prefix);
        List<String> stored = new ArrayList<>();
        store.violations(new ViolationQuery(FUNCTION, null, null, null, null, 1_000, null))
                .events()
                .forEach(line -> stored.add(ViolationJson.parse(line).id()));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(logged);
        assertThat(store.observations().items(FUNCTION, null))
                .extracting(item -> item.item().key())
                .as("every item the example's observation lines hold")
                .containsAll(observed.stream().map(ObservedItem::key).toList());
        assertThat(summaries.get(2).get("observations").asInt())
                .as("the batch delivered again")
                .isZero();
        assertThat(summaries.get(2).get("duplicateObservations").asInt())
                .isEqualTo(summaries.get(1).get("observations").asInt());
        // Each line counted once, though the second batch came twice: the stored counts are the logged lines' sums.
        Map<String, Long> loggedCounts = new HashMap<>();
        observed.forEach(item -> loggedCounts.merge(item.key(), item.count(), Long::sum));
        Map<String, Long> storedCounts = new HashMap<>();
        store.observations()
                .items(FUNCTION, null)
                .forEach(item ->
                        storedCounts.merge(item.item().key(), item.item().count(), Long::sum));
        assertThat(storedCounts).isEqualTo(loggedCounts);
    }

    /** The policy, observing what the function does whatever its mode ({@code "learn": true}). */
    static Path learning(Path policy, Path work) throws IOException {
        ObjectNode json = (ObjectNode) Template.JSON.readTree(policy.toFile());
        json.put("learn", true);
        Path learning = work.resolve("policy.json");
        Template.JSON.writeValue(learning.toFile(), json);
        return learning;
    }

    /** The ingest function's deployment package: its jar alone in lib/, as the Makefile makes it. */
    static Path ingestPackage(Path work) throws IOException {
        Path jar = Template.repository().resolve("policy-service/lambda/target/warden-ingest-function.jar");
        Path zip = work.resolve("ingest-function.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
            Files.copy(jar, out);
            out.closeEntry();
        }
        return zip;
    }
}
