package io.warden.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.policy.observe.ObservationJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleComparisonTest {

    /** The role an orders function was deployed with: broader than what it does, and short of one thing. */
    static final RolePermissions ROLE = new RolePermissions(
            "arn:aws:iam::123456789012:role/orders-role",
            List.of(new RolePermissions.NamedPolicy(
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", PolicyDocument.parse("""
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*",
                             "Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"]}]}
                            """))),
            List.of(new RolePermissions.NamedPolicy("inline:orders", PolicyDocument.parse("""
                            {"Version":"2012-10-17","Statement":[
                             {"Sid":"Table","Effect":"Allow","Action":"dynamodb:*",
                              "Resource":"arn:aws:dynamodb:eu-west-1:123456789012:table/orders"},
                             {"Sid":"Uploads","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
                              "Resource":"arn:aws:s3:::acme-uploads/*"},
                             {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},
                             {"Sid":"Old","Effect":"Allow","Action":"sqs:SendMessage",
                              "Resource":"arn:aws:sqs:eu-west-1:123456789012:legacy"}]}
                            """))));

    static final String LINE = """
            {"warden":"observation","version":1,"function":"orders","functionVersion":"1","account":"123456789012",
             "region":"eu-west-1","time":"2026-12-01T10:00:00Z","dropped":0,"items":[
             {"kind":"aws","service":"dynamodb","operation":"GetItem","region":"eu-west-1","resources":{"TableName":"orders"},"count":5},
             {"kind":"aws","service":"s3","operation":"GetObject","region":"eu-west-1","resources":{"Bucket":"acme-uploads","Key":"in/"},"count":4},
             {"kind":"aws","service":"secretsmanager","operation":"GetSecretValue","region":"eu-west-1","resources":{"SecretId":"prod/db"},"count":1},
             {"kind":"aws","service":"ssm","operation":"GetParameter","region":"eu-west-1","resources":{"Name":"/orders/flag"},"count":2,"error":"AccessDeniedException"}]}
            """;

    private static RoleComparison compare() {
        ObservedCalls observed = ObservedCalls.of(List.of(ObservationJson.parse(LINE.replace("\n", ""))));
        IamPolicySuggestion suggestion = IamPolicySuggestion.suggest(
                IamActionTable.load(), observed.calls(), observed.account(), observed.region(), observed.evidence());
        return RoleComparison.compare(suggestion, ROLE);
    }

    @Test
    void unusedGrantsAreThoseNoObservedCallNeeded() {
        RoleComparison c = compare();
        assertThat(c.unused())
                .filteredOn(u -> !u.usedByLambda())
                .extracting(u -> u.grant().action() + " " + u.grant().resource())
                .containsExactlyInAnyOrder(
                        "s3:PutObject arn:aws:s3:::acme-uploads/*",
                        "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:legacy");
        // What Lambda itself does with the role is never reported as unused by the function.
        assertThat(c.unused())
                .filteredOn(RoleComparison.Unused::usedByLambda)
                .extracting(u -> u.grant().action())
                .containsExactlyInAnyOrder("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");
    }

    @Test
    void missingAreTheNeedsTheRoleDoesNotGrantAndTheDeniedCalls() {
        assertThat(compare().missing()).singleElement().satisfies(m -> {
            assertThat(m.grant().action()).isEqualTo("ssm:GetParameter");
            assertThat(m.grant().resource()).isEqualTo("arn:aws:ssm:eu-west-1:123456789012:parameter/orders/flag");
            assertThat(m.deniedError()).isEqualTo("AccessDeniedException");
        });
    }

    @Test
    void wildcardsTheObservationNarrows() {
        assertThat(compare().narrowed())
                .extracting(n -> n.grant().sid() + " " + n.grant().action() + " " + n.needed())
                .containsExactlyInAnyOrder(
                        "Table dynamodb:* [dynamodb:GetItem on arn:aws:dynamodb:eu-west-1:123456789012:table/orders]",
                        "Uploads s3:GetObject [s3:GetObject on arn:aws:s3:::acme-uploads/in/*]",
                        "Secrets secretsmanager:GetSecretValue [secretsmanager:GetSecretValue on"
                                + " arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-??????]");
    }

    @Test
    void anAllowedNeedIsNotMissingAndADenyStatementWins() {
        assertThat(RoleComparison.allows(
                        ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"))
                .isTrue();
        assertThat(RoleComparison.allows(
                        ROLE, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/customers"))
                .isFalse();
        RolePermissions denying = new RolePermissions(
                ROLE.roleArn(),
                ROLE.attached(),
                List.of(
                        ROLE.inline().get(0),
                        new RolePermissions.NamedPolicy("inline:deny", PolicyDocument.parse("""
                                        {"Statement":{"Effect":"Deny","Action":"dynamodb:Get*","Resource":"*"}}
                                        """))));
        assertThat(RoleComparison.allows(
                        denying, "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"))
                .isFalse();
    }
}
