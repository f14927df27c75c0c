package io.warden.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class PolicyDocumentTest {

    @Test
    void readsUrlEncodedDocumentsWithSingleValuesAndListsAlike() {
        PolicyDocument doc = PolicyDocument.parseUrlEncoded("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A"
                + "%7B%22Sid%22%3A%22One%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3APass%2A%22%2C"
                + "%22Resource%22%3A%5B%22%2A%22%5D%7D%7D");
        PolicyStatement s = doc.statements().get(0);
        assertThat(s.sid()).isEqualTo("One");
        assertThat(s.grants("iam:PassRole")).isTrue();
        assertThat(s.grants("IAM:passrole")).isTrue();
        assertThat(s.grants("iam:GetRole")).isFalse();
        assertThat(s.onAnyResource()).isTrue();
    }

    @Test
    void notActionGrantsEverythingItDoesNotExclude() {
        PolicyStatement s = PolicyDocument.parse("""
                {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}""").statements().get(0);
        assertThat(s.grants("s3:GetObject")).isTrue();
        assertThat(s.grants("iam:PassRole")).isFalse();
    }

    @Test
    void principalsInEitherForm() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Statement": [
                  {"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                  {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "lambda:*", "Condition": {}},
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "lambda:*",
                   "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}""");
        assertThat(doc.statements()).extracting(PolicyStatement::anyPrincipal).containsExactly(true, true, false);
        assertThat(doc.statements()).extracting(PolicyStatement::hasCondition).containsExactly(false, false, true);
    }

    @Test
    void badDocumentsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\": [}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\": [{\"Effect\": \"Maybe\"}]}"))
                .hasMessageContaining("Effect 'Maybe'");
        assertThatThrownBy(() -> PolicyDocument.parse("[1]")).hasMessageContaining("not a JSON object: [1]");
        assertThatThrownBy(() -> PolicyDocument.parseUrlEncoded("%zz")).hasMessageContaining("not URL-encoded");
        assertThatThrownBy(() -> PolicyDocument.parse("\"" + "x".repeat(PolicyDocument.MAX_DOCUMENT_CHARS) + "\""))
                .hasMessageContaining("exceeds");
    }

    @Test
    void wildcardsMatchLikeIam() {
        assertThat(PolicyStatement.wildcardMatches("s3:Get*", "s3:GetObject")).isTrue();
        assertThat(PolicyStatement.wildcardMatches("s3:Get?bject", "s3:GetObject"))
                .isTrue();
        assertThat(PolicyStatement.wildcardMatches("s3:Get*", "s3:PutObject")).isFalse();
        assertThat(PolicyStatement.wildcardMatches("*", "anything:AtAll")).isTrue();
    }
}
