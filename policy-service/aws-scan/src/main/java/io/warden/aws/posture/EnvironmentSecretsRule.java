package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.scanner.secrets.SecretFinding;
import io.warden.scanner.secrets.SecretScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Secrets in environment variables, found by the package scanner's secret detector (same rules and ids, for example
 * {@code aws-access-key-pair}); anyone allowed {@code lambda:GetFunctionConfiguration} reads them in clear.
 */
public final class EnvironmentSecretsRule implements PostureRule {
    private static final String LOCATION = "environment";

    private final SecretScanner scanner = new SecretScanner();

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        Map<String, String> env = new TreeMap<>(f.function().environment());
        if (env.isEmpty()) {
            return List.of();
        }
        // One line per variable, so that the finding's line names the variable and a key id and its secret key in
        // two variables are still seen as a pair.
        List<String> names = new ArrayList<>(env.keySet());
        StringBuilder text = new StringBuilder();
        env.forEach((name, value) ->
                text.append(name).append('=').append(value.replace('\n', ' ')).append('\n'));
        List<Finding> findings = new ArrayList<>();
        for (SecretFinding s : scanner.scan(LOCATION, text.toString().getBytes(StandardCharsets.UTF_8), LOCATION)) {
            String variable = s.line() >= 1 && s.line() <= names.size() ? names.get(s.line() - 1) : "?";
            findings.add(new Finding(
                    f.function().functionArn(),
                    FindingType.SECRET,
                    s.rule(),
                    s.severity(),
                    "environment:" + variable,
                    s.title() + " in environment variable " + variable + " (" + s.masked() + ")",
                    "Keep the secret in AWS Secrets Manager or SSM Parameter Store (SecureString), read it at start-up,"
                            + " remove the variable, and rotate the secret: it has been readable by anyone who can"
                            + " read the function's configuration."));
        }
        return findings;
    }
}
