package io.warden.aws.iam;

import static io.warden.aws.iam.IamSimulator.Request.of;
import static io.warden.aws.iam.IamSimulator.Request.onKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.aws.findings.FunctionRecord;
import io.warden.policy.observe.ObservationJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The suggested IAM policy of a function's observed calls, evaluated by the IAM policy simulator: it allows every
 * observed call, on the resources each named, and denies unobserved actions and resources next to them.
 */
public class IamPolicySuggestionTest {
    static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /** What the agent writes for a function that uses one of each service, in two lines of two versions. */
    public static final List<String> LINES = List.of("""
            {"warden":"observation","version":1,"function":"orders","functionVersion":"1","account":"123456789012",
             "region":"eu-west-1","requestId":"r1","time":"2026-12-01T10:00:00Z","mode":"alert","dropped":0,"items":[
             {"kind":"aws","service":"dynamodb","operation":"GetItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":5,"caller":"com.acme.Orders.get"},
             {"kind":"aws","service":"dynamodb","operation":"Query","region":"eu-west-1","resources":{"TableName":"orders"},"count":2},
             {"kind":"aws","service":"dynamodb","operation":"PutItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"Query","region":"eu-west-1","resources":{"TableName":"orders","IndexName":"by-customer"},"count":3},
             {"kind":"aws","service":"dynamodb","operation":"BatchWriteItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"BatchWriteItem","region":"eu-west-1","resources":{"TableName":"audit"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"TransactGetItems","region":"eu-west-1","resources":{"TableName":"stock"},"count":1},
             {"kind":"aws","service":"s3","operation":"ListObjectsV2","region":"eu-west-1","resources":{"Bucket":"acme-uploads"},"count":1},
             {"kind":"aws","service":"s3","operation":"GetObject","region":"eu-west-1","resources":{"Bucket":"acme-uploads","Key":"orders/2026/"},"count":4},
             {"kind":"aws","service":"s3","operation":"HeadObject","region":"eu-west-1","resources":{"Bucket":"acme-uploads","Key":"orders/2026/"},"count":4},
             {"kind":"aws","service":"s3","operation":"PutObject","region":"eu-west-1","resources":{"Bucket":"acme-reports","Key":""},"count":1},
             {"kind":"aws","service":"sqs","operation":"SendMessageBatch","region":"eu-west-1","resources":{"QueueUrl":"https://sqs.eu-west-1.amazonaws.com/210987654321/orders-events"},"count":1},
             {"kind":"aws","service":"sns","operation":"Publish","region":"eu-west-1","resources":{"TopicArn":"arn:aws:sns:eu-west-1:123456789012:orders-out"},"count":1},
             {"kind":"aws","service":"secretsmanager","operation":"GetSecretValue","region":"eu-west-1","resources":{"SecretId":"prod/db-password"},"count":1},
             {"kind":"aws","service":"secretsmanager","operation":"BatchGetSecretValue","region":"eu-west-1","resources":{"SecretId":"prod/api-key"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameter","region":"eu-west-1","resources":{"Name":"/orders/config"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameters","region":"eu-west-1","resources":{"Name":"/orders/limit"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameters","region":"eu-west-1","resources":{"Name":"/orders/region"},"count":1},
             {"kind":"aws","service":"lambda","operation":"Invoke","region":"eu-west-1","resources":{"FunctionName":"billing"},"count":1},
             {"kind":"aws","service":"kms","operation":"Decrypt","region":"eu-west-1","resources":{"KeyId":"alias/orders"},"count":1},
             {"kind":"aws","service":"kms","operation":"GenerateDataKey","region":"eu-west-1","resources":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"},"count":1},
             {"kind":"aws","service":"kms","operation":"Encapsulate","region":"eu-west-1","resources":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"},"count":1},
             {"kind":"aws","service":"sts","operation":"GetCallerIdentity","region":"eu-west-1","resources":{},"count":1}]}
            """, """
            {"warden":"observation","version":1,"function":"orders","functionVersion":"2","account":"123456789012",
             "region":"eu-west-1","requestId":"r2","time":"2026-12-03T10:00:00Z","mode":"alert","dropped":0,"items":[
             {"kind":"aws","service":"dynamodb","operation":"GetItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":3,"caller":"com.acme.Orders.list"}]}
            """);

    /** The requests AWS authorizes for the observed calls of {@link #LINES}, on concrete resources. */
    public static final List<IamSimulator.Request> OBSERVED = List.of(
            of("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-customer"),
            of("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:BatchWriteItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/audit"),
            of("dynamodb:BatchWriteItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/stock"),
            of("s3:ListBucket", "arn:aws:s3:::acme-uploads"),
            of("s3:GetObject", "arn:aws:s3:::acme-uploads/orders/2026/12/8f3a9c.json"),
            of("s3:PutObject", "arn:aws:s3:::acme-reports/daily/2026-12-01.csv"),
            of("sqs:SendMessage", "arn:aws:sqs:eu-west-1:210987654321:orders-events"),
            of("sns:Publish", "arn:aws:sns:eu-west-1:123456789012:orders-out"),
            of(
                    "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-AbC123"),
            of("secretsmanager:BatchGetSecretValue", "*"),
            of(
                    "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-key-XyZ789"),
            of("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/config"),
            of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/limit"),
            of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/region"),
            of("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:billing"),
            of("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:billing:live"),
            onKey("kms:Decrypt", KEY, "alias/orders"),
            onKey("kms:GenerateDataKey", KEY),
            of("sts:GetCallerIdentity", "*"));

    /** Requests next to them that no observed call made. */
    public static final List<IamSimulator.Request> UNOBSERVED = List.of(
            of("dynamodb:DeleteItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            of("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/customers"),
            of("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/orders"),
            of("dynamodb:BatchWriteItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/customers"),
            of("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/stock"),
            of("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-date"),
            of("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:123456789012:table/audit/index/by-customer"),
            of("dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-customer"),
            of("s3:GetObject", "arn:aws:s3:::acme-uploads/keys/signing.pem"),
            of("s3:PutObject", "arn:aws:s3:::acme-uploads/orders/2026/12/new.json"),
            of("s3:DeleteObject", "arn:aws:s3:::acme-reports/daily/2026-12-01.csv"),
            of("s3:ListBucket", "arn:aws:s3:::acme-reports"),
            of("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:orders-events"),
            of("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:210987654321:orders-events"),
            of("sns:Publish", "arn:aws:sns:eu-west-1:123456789012:payments-out"),
            of(
                    "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-old-AbC123"),
            of(
                    "secretsmanager:PutSecretValue",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-AbC123"),
            of("ssm:PutParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/config"),
            of("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/admin-token"),
            of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/admin-token"),
            of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/config"),
            of(
                    "secretsmanager:GetSecretValue",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-key-admin-XyZ789"),
            of("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:admin"),
            onKey("kms:Decrypt", KEY, "alias/payments"),
            onKey("kms:Encrypt", KEY, "alias/orders"),
            of("iam:PassRole", "arn:aws:iam::123456789012:role/admin"));

    /** The inventory entry the AWS scan writes for the function of {@link #LINES}, with this execution role. */
    public static FunctionRecord deployed(RolePermissions role) {
        return new FunctionRecord(
                "arn:aws:lambda:eu-west-1:123456789012:function:orders",
                "123456789012",
                "eu-west-1",
                "orders",
                "java21",
                "sha-orders",
                List.of(),
                null,
                0,
                List.of(),
                Instant.parse("2026-12-04T00:00:00Z"),
                role);
    }

    static ObservedCalls observed() {
        List<io.warden.policy.observe.Observation> lines = new ArrayList<>();
        LINES.forEach(l -> lines.add(ObservationJson.parse(l.replace("\n", ""))));
        return ObservedCalls.of(lines);
    }

    static IamPolicySuggestion suggestion() {
        ObservedCalls observed = observed();
        return IamPolicySuggestion.suggest(
                IamActionTable.load(), observed.calls(), observed.account(), observed.region(), observed.evidence());
    }

    @Test
    void allowsEveryObservedCallAndDeniesItsNeighbours() throws Exception {
        JsonNode policy = suggestion().policyDocument();
        assertThat(decisions(policy, OBSERVED)).allMatch(d -> d.endsWith("Allowed"));

        assertThat(decisions(policy, UNOBSERVED)).allMatch(d -> d.endsWith("ImplicitlyDenied"));
    }

    @Test
    void groupsByServiceAndResourceTypeWithoutGrantingAcrossResources() {
        JsonNode statements = suggestion().policyDocument().get("Statement");
        List<String> sids = new ArrayList<>();
        statements.forEach(s -> sids.add(s.get("Sid").asText()));
        assertThat(sids)
                .contains(
                        "DynamodbTable",
                        "DynamodbIndex",
                        "S3Bucket",
                        "S3Object",
                        "SqsQueue",
                        "SnsTopic",
                        "SecretsmanagerSecret",
                        "SsmParameter",
                        "LambdaFunction",
                        "KmsKey",
                        "StsAny");
        // GetObject on the uploads and PutObject on the reports share a resource type but never a statement.
        for (JsonNode s : statements) {
            if (s.get("Sid").asText().startsWith("S3Object")) {
                assertThat(s.get("Action")).hasSize(1);
                assertThat(s.get("Resource")).hasSize(1);
            }
        }
        assertThat(suggestion().unmapped()).extracting(ObservedCall::name).containsExactly("kms:Encapsulate");
        assertThat(suggestion().grants())
                .filteredOn(g -> g.action().equals("sts:GetCallerIdentity"))
                .singleElement()
                .satisfies(g -> assertThat(g.reviewed()).isFalse());
    }

    @Test
    void aBatchIsGrantedOnEachTableItNamedAndAQueryOnTheIndexItNamed() {
        IamPolicySuggestion s = suggestion();
        assertThat(s.grants())
                .filteredOn(g -> g.action().equals("dynamodb:BatchWriteItem"))
                .extracting(IamPolicySuggestion.Grant::resource)
                .containsExactlyInAnyOrder(
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/audit",
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/orders");
        // Each grant's evidence is the per-table call that needs it.
        assertThat(s.grants())
                .filteredOn(g -> g.action().equals("dynamodb:BatchWriteItem"))
                .allSatisfy(g -> assertThat(g.calls())
                        .singleElement()
                        .satisfies(c -> assertThat(g.resource())
                                .endsWith("/" + c.resources().get("TableName"))));
        // A query that named its index is granted on that index only; one that named none, on the table only.
        assertThat(s.grants())
                .filteredOn(g -> g.action().equals("dynamodb:Query"))
                .extracting(IamPolicySuggestion.Grant::resource)
                .containsExactlyInAnyOrder(
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-customer");
        // A Secrets Manager batch needs GetSecretValue on each secret it read, beside its own action (on *).
        assertThat(s.grants())
                .filteredOn(g -> g.calls().stream().anyMatch(c -> c.operation().equals("BatchGetSecretValue")))
                .extracting(g -> g.action() + " " + g.resource())
                .containsExactlyInAnyOrder(
                        "secretsmanager:BatchGetSecretValue *",
                        "secretsmanager:GetSecretValue"
                                + " arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-key-??????");
    }

    @Test
    void samSnippetIsTheSameDocument() {
        IamPolicySuggestion s = suggestion();
        Object yaml = new Yaml().load(s.samPolicies());
        JsonNode fromYaml = new ObjectMapper().valueToTree(yaml);
        assertThat(fromYaml.get("Policies")).hasSize(1);
        assertThat(fromYaml.get("Policies").get(0)).isEqualTo(s.policyDocument());
    }

    @Test
    void confidenceSaysHowMuchWasObserved() {
        JsonNode json = suggestion().toJson("orders", null);
        JsonNode confidence = json.get("confidence");
        assertThat(confidence.get("observationLines").asLong()).isEqualTo(2);
        assertThat(confidence.get("span").asText()).isEqualTo("PT48H");
        assertThat(confidence.get("versions")).extracting(JsonNode::asText).containsExactly("1", "2");
        JsonNode getItem = null;
        for (JsonNode e : json.get("evidence")) {
            if (e.get("action").asText().equals("dynamodb:GetItem")
                    && e.get("resource").asText().endsWith(":table/orders")) {
                getItem = e;
            }
        }
        assertThat(getItem).isNotNull();
        assertThat(getItem.get("calls").get(0).get("count").asLong()).isEqualTo(8);
        assertThat(getItem.get("calls").get(0).get("caller").asText()).isEqualTo("com.acme.Orders.list");
        assertThat(json.get("role").isNull()).isTrue();
    }

    @Test
    void nothingObservedGrantsNothing() {
        IamPolicySuggestion s =
                IamPolicySuggestion.suggest(IamActionTable.load(), List.of(), null, null, ObservationEvidence.NONE);
        assertThat(s.policyDocument().get("Statement")).isEmpty();
        assertThat(s.samPolicies()).isEqualTo("Policies: []\n");
    }

    /**
     * What the agent observed of the AWS SDK for Java v1's clients (the calls of the agent's {@code SdkV1Calls} probe, as
     * its ObservationIT asserts them, the queue on AWS's endpoint): the same service ids, operations and member names as
     * v2's, a batch or transaction one item per table, GetParameters one per parameter, a Query with its index.
     */
    static final String V1_LINE = """
            {"warden":"observation","version":1,"function":"orders","functionVersion":"3","account":"123456789012",
             "region":"eu-west-1","requestId":"r3","time":"2026-12-05T10:00:00Z","mode":"alert","dropped":0,"items":[
             {"kind":"aws","service":"dynamodb","operation":"GetItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":2},
             {"kind":"aws","service":"dynamodb","operation":"PutItem","region":"eu-west-1","resources":{"TableName":"missing"},"error":"ResourceNotFoundException","count":1},
             {"kind":"aws","service":"dynamodb","operation":"Query","region":"eu-west-1","resources":{"TableName":"orders","IndexName":"by-customer"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"BatchGetItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"BatchGetItem","region":"eu-west-1","resources":{"TableName":"customers"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"BatchWriteItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"BatchWriteItem","region":"eu-west-1","resources":{"TableName":"audit"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"TransactWriteItems","region":"eu-west-1","resources":{"TableName":"orders"},"count":1},
             {"kind":"aws","service":"dynamodb","operation":"TransactWriteItems","region":"eu-west-1","resources":{"TableName":"customers"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameters","region":"eu-west-1","resources":{"Name":"/orders/table"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameters","region":"eu-west-1","resources":{"Name":"/orders/queue"},"count":1},
             {"kind":"aws","service":"s3","operation":"PutObject","region":"eu-central-1","resources":{"Bucket":"invoices","Key":"eu/"},"count":1},
             {"kind":"aws","service":"s3","operation":"GetObject","region":"eu-central-1","resources":{"Bucket":"invoices","Key":"eu/"},"count":1},
             {"kind":"aws","service":"sqs","operation":"GetQueueAttributes","region":"us-east-1","resources":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/orders"},"count":1},
             {"kind":"aws","service":"sns","operation":"Publish","region":"us-east-1","resources":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:events"},"count":1},
             {"kind":"aws","service":"secretsmanager","operation":"GetSecretValue","region":"eu-west-1","resources":{"SecretId":"prod/db"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameter","region":"eu-west-1","resources":{"Name":"/orders/table"},"count":1},
             {"kind":"aws","service":"lambda","operation":"Invoke","region":"eu-west-1","resources":{"FunctionName":"billing"},"count":1},
             {"kind":"aws","service":"kms","operation":"Encrypt","region":"eu-west-1","resources":{"KeyId":"alias/orders"},"count":1}]}
            """;

    @Test
    void theSdkV1sObservedCallsAreAllowedAndTheirNeighboursDenied() throws Exception {
        ObservedCalls observed = ObservedCalls.of(List.of(ObservationJson.parse(V1_LINE.replace("\n", ""))));
        IamPolicySuggestion suggestion = IamPolicySuggestion.suggest(
                IamActionTable.load(), observed.calls(), observed.account(), observed.region(), observed.evidence());
        assertThat(suggestion.unmapped()).isEmpty();
        JsonNode policy = suggestion.policyDocument();
        String table = "arn:aws:dynamodb:eu-west-1:123456789012:table/";

        assertThat(decisions(
                        policy,
                        List.of(
                                of("dynamodb:GetItem", table + "orders"),
                                of("dynamodb:PutItem", table + "missing"),
                                of("dynamodb:Query", table + "orders/index/by-customer"),
                                of("dynamodb:BatchGetItem", table + "orders"),
                                of("dynamodb:BatchGetItem", table + "customers"),
                                of("dynamodb:BatchWriteItem", table + "orders"),
                                of("dynamodb:BatchWriteItem", table + "audit"),
                                of("dynamodb:ConditionCheckItem", table + "customers"),
                                of("dynamodb:DeleteItem", table + "orders"),
                                of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/queue"),
                                of("s3:PutObject", "arn:aws:s3:::invoices/eu/2026/8f3a9c2e-0d1e.json"),
                                of("s3:GetObject", "arn:aws:s3:::invoices/eu/report.csv"),
                                of("sqs:GetQueueAttributes", "arn:aws:sqs:us-east-1:123456789012:orders"),
                                of("sns:Publish", "arn:aws:sns:us-east-1:123456789012:events"),
                                of(
                                        "secretsmanager:GetSecretValue",
                                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123"),
                                of("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/table"),
                                of("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:billing"),
                                onKey("kms:Encrypt", KEY, "alias/orders"))))
                .allMatch(d -> d.endsWith("Allowed"));
        assertThat(decisions(
                        policy,
                        List.of(
                                of("dynamodb:BatchWriteItem", table + "customers"),
                                of("dynamodb:BatchGetItem", table + "audit"),
                                of("dynamodb:GetItem", table + "customers"),
                                of("dynamodb:Query", table + "customers/index/by-customer"),
                                of("dynamodb:PutItem", table + "audit"),
                                of("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/admin"),
                                of("s3:GetObject", "arn:aws:s3:::invoices/us/report.csv"),
                                of("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:orders"),
                                of("sns:Publish", "arn:aws:sns:us-east-1:123456789012:payments"),
                                of("ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/admin"),
                                of("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:admin"),
                                onKey("kms:Decrypt", KEY, "alias/orders"))))
                .allMatch(d -> d.endsWith("ImplicitlyDenied"));
    }

    /** Each request with the simulator's decision, for a message that names the request. */
    public static List<String> decisions(JsonNode policy, List<IamSimulator.Request> requests) throws Exception {
        List<String> results = IamSimulator.decide(policy, requests);
        List<String> described = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            described.add(requests.get(i) + " -> " + results.get(i));
        }
        return described;
    }
}
