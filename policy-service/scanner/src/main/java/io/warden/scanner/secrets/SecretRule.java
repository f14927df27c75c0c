package io.warden.scanner.secrets;

import io.warden.scanner.Severity;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kind of secret recognised by its format.
 *
 * @param markers literals of which every match contains one, to skip content cheaply before any regular expression
 *     runs
 * @param pattern group 1 is the secret value
 * @param minEntropy the least Shannon entropy (bits per character) of the value, so placeholders such as
 *     {@code ghp_xxxxxxxx...} are not reported
 */
record SecretRule(
        String id, String title, Severity severity, List<String> markers, Pattern pattern, double minEntropy) {

    static final String AWS_KEY_ID = "aws-access-key-id";

    /** Every rule, in one place. */
    static final List<SecretRule> ALL = List.of(
            new SecretRule(
                    AWS_KEY_ID,
                    "AWS access key id",
                    Severity.MEDIUM,
                    List.of("AKIA"),
                    Pattern.compile("(?<![A-Z0-9])(AKIA[A-Z2-7]{16})(?![A-Z0-9])"),
                    2.5),
            new SecretRule(
                    AWS_KEY_ID,
                    "AWS access key id",
                    Severity.MEDIUM,
                    List.of("ASIA"),
                    Pattern.compile("(?<![A-Z0-9])(ASIA[A-Z2-7]{16})(?![A-Z0-9])"),
                    2.5),
            new SecretRule(
                    "private-key",
                    "Private key",
                    Severity.HIGH,
                    List.of("-----BEGIN"),
                    Pattern.compile("(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"
                            + "\\s*(?:[A-Za-z0-9+/=]{16,}\\s*){4,})"),
                    0),
            new SecretRule(
                    "github-token",
                    "GitHub token",
                    Severity.HIGH,
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
                    Pattern.compile("(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9])"),
                    3.5),
            new SecretRule(
                    "github-token",
                    "GitHub token",
                    Severity.HIGH,
                    List.of("github_pat_"),
                    Pattern.compile("(github_pat_[A-Za-z0-9_]{82})"),
                    3.5),
            new SecretRule(
                    "gitlab-token",
                    "GitLab token",
                    Severity.HIGH,
                    List.of("glpat-"),
                    Pattern.compile("(glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"),
                    3.0),
            new SecretRule(
                    "slack-token",
                    "Slack token",
                    Severity.HIGH,
                    List.of("xox"),
                    Pattern.compile("(xox[baprs]-[A-Za-z0-9-]{10,72})"),
                    3.0),
            new SecretRule(
                    "stripe-key",
                    "Stripe live secret key",
                    Severity.HIGH,
                    List.of("sk_live_"),
                    Pattern.compile("(sk_live_[A-Za-z0-9]{24,99})"),
                    3.5),
            new SecretRule(
                    "google-api-key",
                    "Google API key",
                    Severity.HIGH,
                    List.of("AIza"),
                    Pattern.compile("(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])"),
                    3.5),
            new SecretRule(
                    "npm-token",
                    "npm access token",
                    Severity.HIGH,
                    List.of("npm_"),
                    Pattern.compile("(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])"),
                    3.5));

    /** An AWS secret access key: 40 characters of base64, random enough to not be a word or a hex digest. */
    static final Pattern AWS_SECRET = Pattern.compile("(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])");

    static final double AWS_SECRET_MIN_ENTROPY = 4.2;

    /**
     * Documented example values (AWS's own documentation keys), never reported. AWS example keys all end in
     * {@code EXAMPLE} / {@code EXAMPLEKEY}.
     */
    static boolean allowlisted(String value) {
        return value.endsWith("EXAMPLE") || value.endsWith("EXAMPLEKEY");
    }
}
