package io.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.Action;
import io.warden.policy.Category;
import io.warden.policy.MetricNames;
import io.warden.policy.Mode;
import io.warden.policy.Violation;
import io.warden.policy.ViolationJson;
import io.warden.service.lambda.LogIngestHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The dashboard, the alarm and the saved Logs Insights queries read what Warden writes: metrics by the names in
 * {@link MetricNames} with the dimension sets the agent and the scan emit, and the fields of a real violation line.
 */
@EnabledIfSystemProperty(named = "warden.deploy.packaged", matches = "true")
@Tag("fast")
class CloudWatchTest {

    /**
     * The dimension sets each metric is emitted with (docs/agent.md, "The function's handler"; the AWS scan; the
     * ingest function).
     */
    static final Map<String, Set<Set<String>>> EMITTED = Map.of(
            MetricNames.BLOCKED,
                    Set.of(Set.of(MetricNames.FUNCTION_NAME), Set.of(MetricNames.FUNCTION_NAME, MetricNames.CATEGORY)),
            MetricNames.ALERTED,
                    Set.of(Set.of(MetricNames.FUNCTION_NAME), Set.of(MetricNames.FUNCTION_NAME, MetricNames.CATEGORY)),
            MetricNames.FINDINGS, Set.of(Set.of(MetricNames.SEVERITY)),
            MetricNames.AGENT_FAILED, Set.of(Set.of(MetricNames.FUNCTION_NAME)),
            LogIngestHandler.ACCEPTED_METRIC, Set.of(Set.of(MetricNames.FUNCTION_NAME)),
            LogIngestHandler.REJECTED_METRIC, Set.of(Set.of(MetricNames.FUNCTION_NAME)));

    /** A Metrics Insights query: SELECT SUM(metric) FROM SCHEMA("namespace", dimension, ...) [GROUP BY dimension]. */
    static final Pattern METRICS_QUERY =
            Pattern.compile("SELECT SUM\\((\\w+)\\) FROM SCHEMA\\(\"([^\"]+)\"((?:, *\\w+)*)\\)(?: GROUP BY (\\w+))?");

    static final Set<String> LOGS_INSIGHTS_WORDS = Set.of(
            "SOURCE", "filter", "and", "or", "not", "stats", "by", "as", "sort", "desc", "asc", "limit", "fields", "in",
            "like");

    static Template template;

    @BeforeAll
    static void load() throws IOException {
        template = Template.load();
    }

    record MetricQuery(String metric, String namespace, Set<String> dimensions, String groupBy) {}

    static MetricQuery parse(String expression) {
        Matcher query = METRICS_QUERY.matcher(expression);
        assertThat(query.matches())
                .as("a Metrics Insights query: " + expression)
                .isTrue();
        Set<String> dimensions = new HashSet<>();
        for (String dimension : query.group(3).split(",")) {
            if (!dimension.isBlank()) {
                dimensions.add(dimension.trim());
            }
        }
        return new MetricQuery(query.group(1), query.group(2), dimensions, query.group(4));
    }

    /** Checks the query reads a metric as it is emitted, and returns it. */
    static MetricQuery emitted(String expression) {
        MetricQuery query = parse(expression);
        assertThat(query.namespace()).as(expression).isEqualTo(MetricNames.NAMESPACE);
        assertThat(EMITTED).as(expression).containsKey(query.metric());
        assertThat(EMITTED.get(query.metric())).as(expression).contains(query.dimensions());
        if (query.groupBy() != null) {
            assertThat(query.dimensions()).as(expression).contains(query.groupBy());
        }
        return query;
    }

    /** The dashboard body as CloudFormation makes it, for one region and log group. */
    static JsonNode dashboard() throws IOException {
        String body = template.resources()
                .at("/WardenDashboard/Properties/DashboardBody/Fn::Sub")
                .asText();
        return Template.JSON.readTree(body.replace("${AWS::Region}", "eu-west-1")
                .replace("${EgressDemoFunctionLogGroup}", "/aws/lambda/warden-EgressDemoFunction-1A2B3C"));
    }

    @Test
    void dashboardShowsBlockedAndAlertedByFunctionAndCategoryAndFindingsBySeverity() throws IOException {
        List<String> shown = new ArrayList<>();
        for (JsonNode widget : dashboard().path("widgets")) {
            assertThat(widget.at("/properties/region").asText()).isEqualTo("eu-west-1");
            for (JsonNode metric : widget.at("/properties/metrics")) {
                MetricQuery query = emitted(metric.path(0).path("expression").asText());
                shown.add(query.metric() + " by " + query.groupBy());
            }
        }
        assertThat(shown)
                .containsExactlyInAnyOrder(
                        "Blocked by FunctionName",
                        "Blocked by Category",
                        "Alerted by FunctionName",
                        "Alerted by Category",
                        "Findings by Severity");
    }

    @Test
    void queriesOfOtherMetricsOrDimensionsAreRefused() {
        assertThat(emitted("SELECT SUM(Blocked) FROM SCHEMA(\"Warden\", Category, FunctionName) GROUP BY Category"))
                .isNotNull();
        for (String wrong : List.of(
                "SELECT SUM(Blocks) FROM SCHEMA(\"Warden\", FunctionName)",
                "SELECT SUM(Blocked) FROM SCHEMA(\"warden\", FunctionName)",
                "SELECT SUM(Blocked) FROM SCHEMA(\"Warden\", Category)",
                "SELECT SUM(Findings) FROM SCHEMA(\"Warden\", FunctionName)",
                "SELECT SUM(Alerted) FROM SCHEMA(\"Warden\", FunctionName) GROUP BY Category")) {
            assertThatThrownBy(() -> emitted(wrong)).as(wrong).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void alarmFiresWhenAnyFunctionBlocksAndNotifiesTheTopic() {
        JsonNode alarm = template.resources().at("/BlockedAlarm/Properties");
        MetricQuery query = emitted(alarm.at("/Metrics/0/Expression").asText());

        assertThat(query.metric()).isEqualTo(MetricNames.BLOCKED);
        assertThat(query.dimensions()).containsExactly(MetricNames.FUNCTION_NAME);
        assertThat(query.groupBy()).isNull();
        assertThat(alarm.at("/ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.at("/Threshold").asInt()).isZero();
        assertThat(alarm.at("/TreatMissingData").asText()).isEqualTo("notBreaching");
        assertThat(alarm.at("/AlarmActions/0/Ref").asText()).isEqualTo("AlarmTopic");
        assertThat(template.resources()
                        .at("/AlarmEmailSubscription/Properties/Endpoint/Ref")
                        .asText())
                .isEqualTo("AlarmEmail");
    }

    @Test
    void alarmFiresWhenTheAgentFailsInAnyFunctionAndNotifiesTheTopic() {
        JsonNode alarm = template.resources().at("/AgentFailedAlarm/Properties");
        MetricQuery query = emitted(alarm.at("/Metrics/0/Expression").asText());

        assertThat(query.metric()).isEqualTo(MetricNames.AGENT_FAILED);
        assertThat(query.dimensions()).containsExactly(MetricNames.FUNCTION_NAME);
        assertThat(alarm.at("/ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.at("/Threshold").asInt()).isZero();
        assertThat(alarm.at("/TreatMissingData").asText()).isEqualTo("notBreaching");
        assertThat(alarm.at("/AlarmActions/0/Ref").asText()).isEqualTo("AlarmTopic");
    }

    /** The field names of a violation line as the agent writes it. */
    static Set<String> violationFields() throws IOException {
        Violation violation = Violation.builder()
                .time(Instant.parse("2024-05-01T12:00:00Z"))
                .function("orders")
                .category(Category.NETWORK)
                .operation("connect")
                .target("evil.example:443")
                .action(Action.BLOCKED)
                .rule("network.allow (no match)")
                .caller("com.example.Handler.handle(Handler.java:42)")
                .count(3)
                .requestId("8f5d1c2e-0000-4000-8000-000000000001")
                .functionVersion("$LATEST")
                .coldStart(false)
                .phase(Violation.PHASE_INVOKE)
                .mode(Mode.BLOCK)
                .build();
        Set<String> fields = new HashSet<>();
        Template.JSON.readTree(ViolationJson.toJsonLine(violation)).fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    /** The log fields a Logs Insights query reads: its words, less keywords, functions, aliases and literals. */
    static Set<String> fieldsRead(String query) {
        String code = query.replaceAll("\"[^\"]*\"|'[^']*'", " ").replaceAll("@\\w+", " ");
        Set<String> aliases = new HashSet<>();
        Matcher alias = Pattern.compile("\\bas\\s+(\\w+)").matcher(code);
        while (alias.find()) {
            aliases.add(alias.group(1));
        }
        Set<String> fields = new HashSet<>();
        Matcher word = Pattern.compile("\\b([A-Za-z_]\\w*)\\b(\\s*\\()?").matcher(code);
        while (word.find()) {
            String name = word.group(1);
            if (word.group(2) == null && !LOGS_INSIGHTS_WORDS.contains(name) && !aliases.contains(name)) {
                fields.add(name);
            }
        }
        return fields;
    }

    @Test
    void savedQueriesAndTheLogWidgetReadFieldsOfTheViolationLine() throws IOException {
        Set<String> violationFields = violationFields();
        Map<String, JsonNode> saved = template.resourcesOfType("AWS::Logs::QueryDefinition");
        List<String> names = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        saved.values().forEach(definition -> {
            names.add(definition.at("/Properties/Name").asText());
            queries.add(definition.at("/Properties/QueryString").asText());
        });
        for (JsonNode widget : dashboard().path("widgets")) {
            if (widget.path("type").asText().equals("log")) {
                queries.add(widget.at("/properties/query").asText());
            }
        }

        assertThat(names)
                .containsExactlyInAnyOrder(
                        "Warden/Blocked by function", "Warden/Blocked by target", "Warden/Blocked by request id");
        assertThat(queries).hasSize(4);
        for (String query : queries) {
            assertThat(violationFields).as(query).containsAll(fieldsRead(query));
            assertThat(query)
                    .contains("filter warden = \"" + Violation.KIND + "\" and action = \"" + Action.BLOCKED.jsonName()
                            + "\"");
        }
        assertThat(fieldsRead(queries.get(0))).contains("function", "count", "warden", "action");
        assertThat(fieldsRead(queries.get(2))).contains("requestId");
        assertThat(fieldsRead("filter warden = \"violation\" | stats sum(count) as n by targett"))
                .contains("targett");
    }
}
