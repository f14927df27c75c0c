package io.warden.service.learn;

import static io.warden.service.learn.ObservedPolicySuggestionTest.entry;
import static io.warden.service.learn.ObservedPolicySuggestionTest.evaluator;
import static io.warden.service.learn.ObservedPolicySuggestionTest.list;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.policy.PolicyEvaluator;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS endpoints in suggestions from observations: each endpoint host is allowed as itself, tied to the observed SDK
 * calls whose endpoint it is by the SDK's own endpoint rules, never as {@code *.REGION.amazonaws.com} (which would
 * open every service of the region, other accounts' S3 buckets included). Offline: the rules are the SDK's jars, and
 * the addresses are data.
 */
@Tag("fast")
class AwsEndpointSuggestionTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final String ACCOUNT = "123456789012";

    @TempDir
    Path dataDirectory;

    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dataDirectory);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void observe(List<ObservedItem> items) {
        store.observations()
                .record(new Observation(
                        UUID.randomUUID().toString(), "orders", "7", ACCOUNT, "eu-west-1", "r-1", T0, null, 0, items));
    }

    static ObservedItem connect(String host, String address) {
        return new ObservedItem.Network("connect", host, address, 443, 2, "com.acme.Orders.handle");
    }

    static ObservedItem.Aws call(String service, String operation, Map<String, String> resources) {
        return new ObservedItem.Aws(service, operation, "eu-west-1", resources, null, 3, "com.acme.Orders.handle");
    }

    /** A function of eu-west-1 on DynamoDB (both endpoint styles), S3 (one bucket) and SQS, as the agent reports it. */
    static final List<ObservedItem> ORDERS = List.of(
            connect("dynamodb.eu-west-1.amazonaws.com", "52.94.1.1"),
            connect(ACCOUNT + ".ddb.eu-west-1.amazonaws.com", "52.94.1.2"),
            connect("orders-archive.s3.eu-west-1.amazonaws.com", "52.218.1.1"),
            connect("sqs.eu-west-1.amazonaws.com", "52.94.3.3"),
            new ObservedItem.Dns("dynamodb.eu-west-1.amazonaws.com", 2, null),
            new ObservedItem.Dns(ACCOUNT + ".ddb.eu-west-1.amazonaws.com", 2, null),
            new ObservedItem.Dns("orders-archive.s3.eu-west-1.amazonaws.com", 2, null),
            new ObservedItem.Dns("sqs.eu-west-1.amazonaws.com", 2, null),
            call("dynamodb", "GetItem", Map.of("TableName", "orders")),
            call("dynamodb", "PutItem", Map.of("TableName", "orders")),
            call("s3", "PutObject", Map.of("Bucket", "orders-archive", "Key", "exports/")),
            call(
                    "sqs",
                    "SendMessage",
                    Map.of("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/" + ACCOUNT + "/orders")));

    @Test
    void eachServicesEndpointIsAllowedAsItselfWithTheCallsThatReachIt() throws Exception {
        observe(ORDERS);
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);

        assertThat(list(body, "/network/allow"))
                .containsExactlyInAnyOrder(
                        "dynamodb.eu-west-1.amazonaws.com:443",
                        ACCOUNT + ".ddb.eu-west-1.amazonaws.com:443",
                        "orders-archive.s3.eu-west-1.amazonaws.com:443",
                        "sqs.eu-west-1.amazonaws.com:443");
        assertThat(body.get("policy").toString()).doesNotContain("*.eu-west-1.amazonaws.com");
        // The names are those of network.allow, so dns.allow stays implicit.
        assertThat(body.get("policy").at("/dns/allow").isMissingNode()).isTrue();

        JsonNode dynamo = entry(body.get("added"), "dynamodb.eu-west-1.amazonaws.com:443");
        assertThat(dynamo.at("/aws/distinctCalls").asInt()).isEqualTo(2);
        assertThat(dynamo.at("/aws/calls").findValuesAsText("operation"))
                .containsExactlyInAnyOrder("GetItem", "PutItem");
        assertThat(dynamo.at("/aws/note").isMissingNode()).isTrue();
        // The account-based endpoint (DynamoDB's rules with the credentials' account) is the same calls'.
        JsonNode byAccount = entry(body.get("added"), ACCOUNT + ".ddb.eu-west-1.amazonaws.com:443");
        assertThat(byAccount.at("/aws/distinctCalls").asInt()).isEqualTo(2);
        JsonNode bucket = entry(body.get("added"), "orders-archive.s3.eu-west-1.amazonaws.com:443");
        assertThat(bucket.at("/aws/calls/0/operation").asText()).isEqualTo("PutObject");
        assertThat(bucket.at("/aws/calls/0/resources/Bucket").asText()).isEqualTo("orders-archive");
        assertThat(entry(body.get("added"), "sqs.eu-west-1.amazonaws.com:443")
                        .at("/aws/calls/0/operation")
                        .asText())
                .isEqualTo("SendMessage");

        PolicyEvaluator suggested = evaluator(body);
        InetAddress aws = InetAddress.getByName("52.94.9.9");
        for (String host : List.of(
                "dynamodb.eu-west-1.amazonaws.com",
                ACCOUNT + ".ddb.eu-west-1.amazonaws.com",
                "orders-archive.s3.eu-west-1.amazonaws.com",
                "sqs.eu-west-1.amazonaws.com")) {
            assertThat(suggested.connect(host, aws, 443).violation()).as(host).isFalse();
            assertThat(suggested.resolve(host).violation()).as(host).isFalse();
        }
        // The exfiltration paths a regional wildcard would open: another bucket (path-style or virtual-hosted), other
        // services of the region, another account's DynamoDB endpoint.
        for (String host : List.of(
                "s3.eu-west-1.amazonaws.com",
                "attacker-drop.s3.eu-west-1.amazonaws.com",
                "sts.eu-west-1.amazonaws.com",
                "secretsmanager.eu-west-1.amazonaws.com",
                "sns.eu-west-1.amazonaws.com",
                "999999999999.ddb.eu-west-1.amazonaws.com")) {
            assertThat(suggested.connect(host, aws, 443).violation()).as(host).isTrue();
            assertThat(suggested.resolve(host).violation()).as(host).isTrue();
        }
    }

    @Test
    void anAwsHostNoObservedCallReachesIsAllowedExactlyAndFlagged() {
        List<ObservedItem> items = new ArrayList<>(ORDERS);
        // STS was reached, but no STS call was observed; nor does the observed bucket explain another bucket's host.
        items.add(connect("sts.eu-west-1.amazonaws.com", "52.94.4.4"));
        items.add(connect("other-bucket.s3.eu-west-1.amazonaws.com", "52.218.2.2"));
        observe(items);
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/network/allow"))
                .contains("sts.eu-west-1.amazonaws.com:443", "other-bucket.s3.eu-west-1.amazonaws.com:443");
        for (String unexplained :
                List.of("sts.eu-west-1.amazonaws.com:443", "other-bucket.s3.eu-west-1.amazonaws.com:443")) {
            JsonNode entry = entry(body.get("added"), unexplained);
            assertThat(entry.at("/aws/distinctCalls").asInt()).as(unexplained).isZero();
            assertThat(entry.at("/aws/note").asText()).as(unexplained).contains("no observed AWS SDK call");
        }
    }

    @Test
    void fipsDualStackPathStyleAndAcceleratedEndpointsAreTheCallsToo() {
        observe(List.of(
                connect("dynamodb-fips.eu-west-1.amazonaws.com", "52.94.1.1"),
                connect("orders-archive.s3.dualstack.eu-west-1.amazonaws.com", "52.218.1.1"),
                connect("s3.eu-west-1.amazonaws.com", "52.218.1.2"),
                connect("sqs.eu-west-1.api.aws", "52.94.3.3"),
                connect("orders-archive.s3-accelerate.amazonaws.com", "52.218.1.3"),
                call("dynamodb", "Query", Map.of("TableName", "orders")),
                call("s3", "GetObject", Map.of("Bucket", "orders-archive", "Key", "exports/")),
                call("sqs", "ReceiveMessage", Map.of())));
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/network/allow"))
                .containsExactlyInAnyOrder(
                        "dynamodb-fips.eu-west-1.amazonaws.com:443",
                        "orders-archive.s3.dualstack.eu-west-1.amazonaws.com:443",
                        "s3.eu-west-1.amazonaws.com:443",
                        "sqs.eu-west-1.api.aws:443",
                        "orders-archive.s3-accelerate.amazonaws.com:443");
        for (JsonNode added : body.get("added")) {
            assertThat(added.at("/aws/distinctCalls").asInt())
                    .as(added.toString())
                    .isEqualTo(1);
        }
    }

    @Test
    void manyBucketsOfOneFamilyBecomeItsPatternAndNoWider() throws Exception {
        List<ObservedItem> items = new ArrayList<>();
        for (int i = 0; i <= PolicySuggestion.MAX_BUCKET_HOSTS; i++) {
            String bucket = "tenant-" + i + "-exports";
            items.add(connect(bucket + ".s3.eu-west-1.amazonaws.com", "52.218.1." + i));
            items.add(call("s3", "PutObject", Map.of("Bucket", bucket, "Key", "x/")));
        }
        // A bucket host no call names is no member of the family: it stays itself.
        items.add(connect("stray.s3.eu-west-1.amazonaws.com", "52.218.2.1"));
        items.add(connect("dynamodb.eu-west-1.amazonaws.com", "52.94.1.1"));
        items.add(call("dynamodb", "GetItem", Map.of("TableName", "orders")));
        observe(items);
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/network/allow"))
                .containsExactlyInAnyOrder(
                        "*.s3.eu-west-1.amazonaws.com:443",
                        "stray.s3.eu-west-1.amazonaws.com:443",
                        "dynamodb.eu-west-1.amazonaws.com:443");
        JsonNode family = entry(body.get("added"), "*.s3.eu-west-1.amazonaws.com:443");
        assertThat(family.get("count").asLong()).isEqualTo(2L * (PolicySuggestion.MAX_BUCKET_HOSTS + 1));
        assertThat(family.at("/aws/distinctCalls").asInt()).isEqualTo(PolicySuggestion.MAX_BUCKET_HOSTS + 1);
        assertThat(family.at("/aws/calls")).hasSize(PolicySuggestion.MAX_BUCKET_HOSTS + 1);
        PolicyEvaluator suggested = evaluator(body);
        InetAddress aws = InetAddress.getByName("52.218.9.9");
        assertThat(suggested
                        .connect("tenant-99-exports.s3.eu-west-1.amazonaws.com", aws, 443)
                        .violation())
                .isFalse();
        assertThat(suggested.connect("s3.eu-west-1.amazonaws.com", aws, 443).violation())
                .isTrue();
        assertThat(suggested.connect("sts.eu-west-1.amazonaws.com", aws, 443).violation())
                .isTrue();
        assertThat(suggested.connect("x.s3.us-east-1.amazonaws.com", aws, 443).violation())
                .isTrue();
    }

    @Test
    void aBucketNamedLikeAnEndpointsFirstLabelMakesNoFamilyOfTheRegion() {
        // Path-style endpoints carry the bucket in the path: buckets named "s3" (too short for a virtual host) and
        // "s3-fips" reach s3.eu-west-1.amazonaws.com and s3-fips.eu-west-1.amazonaws.com, names that start with the
        // bucket; a family made of those would be *.eu-west-1.amazonaws.com, every service of the region.
        AwsEndpoints endpoints = new AwsEndpoints(List.of(
                call("s3", "ListObjectsV2", Map.of("Bucket", "s3")),
                call("s3", "ListObjectsV2", Map.of("Bucket", "s3-fips")),
                call("s3", "GetObject", Map.of("Bucket", "orders-archive"))));
        for (String pathStyle : List.of("s3.eu-west-1.amazonaws.com", "s3-fips.eu-west-1.amazonaws.com")) {
            assertThat(endpoints.reaching(pathStyle))
                    .as(pathStyle)
                    .isNotEmpty()
                    .allSatisfy(reach -> assertThat(reach.family()).isNull());
        }
        assertThat(endpoints.reaching("orders-archive.s3.eu-west-1.amazonaws.com"))
                .extracting(AwsEndpoints.Reach::family)
                .containsExactly("*.s3.eu-west-1.amazonaws.com");
        assertThat(endpoints.reaching("s3-fips.s3.eu-west-1.amazonaws.com"))
                .extracting(AwsEndpoints.Reach::family)
                .containsExactly("*.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void aFewBucketsStayEachItsOwnHost() {
        List<ObservedItem> items = new ArrayList<>();
        for (int i = 0; i < PolicySuggestion.MAX_BUCKET_HOSTS; i++) {
            String bucket = "tenant-" + i + "-exports";
            items.add(connect(bucket + ".s3.eu-west-1.amazonaws.com", "52.218.1." + i));
            items.add(call("s3", "PutObject", Map.of("Bucket", bucket, "Key", "x/")));
        }
        observe(items);
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/network/allow"))
                .hasSize(PolicySuggestion.MAX_BUCKET_HOSTS)
                .allSatisfy(entry -> assertThat(entry).startsWith("tenant-"));
    }

    @Test
    void aResolvedAwsNameBeyondNetworkAllowIsAnExactDnsEntryWithItsCalls() throws Exception {
        // A name the function resolved without connecting to it by name (a client that connects by address).
        List<ObservedItem> items = new ArrayList<>(ORDERS);
        items.add(new ObservedItem.Dns("secretsmanager.eu-west-1.amazonaws.com", 1, null));
        items.add(call("secretsmanager", "GetSecretValue", Map.of("SecretId", "orders/db")));
        observe(items);
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/dns/allow"))
                .contains("secretsmanager.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com")
                .noneMatch(name -> name.startsWith("*"));
        JsonNode secrets = entry(body.get("added"), "secretsmanager.eu-west-1.amazonaws.com");
        assertThat(secrets.at("/aws/calls/0/operation").asText()).isEqualTo("GetSecretValue");
        PolicyEvaluator suggested = evaluator(body);
        assertThat(suggested.resolve("secretsmanager.eu-west-1.amazonaws.com").violation())
                .isFalse();
        assertThat(suggested.resolve("ssm.eu-west-1.amazonaws.com").violation()).isTrue();
    }

    @Test
    void anAwsNameThatResolvesToABuiltInDenyAddressNeverBecomesAnEntry() {
        observe(List.of(
                connect("orders-archive.s3.eu-west-1.amazonaws.com", "169.254.169.254"),
                call("s3", "PutObject", Map.of("Bucket", "orders-archive", "Key", "exports/"))));
        JsonNode body = PolicySuggestion.suggest(store, "orders", null);
        assertThat(list(body, "/network/allow")).isEmpty();
        assertThat(body.at("/observed/ignored/builtInDeny").asLong()).isEqualTo(1);
    }
}
