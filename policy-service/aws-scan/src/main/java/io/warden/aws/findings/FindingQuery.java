package io.warden.aws.findings;

import io.warden.scanner.Severity;

/**
 * A filter over stored findings, as {@code GET /v1/findings?function=&severity=&type=} states it; null matches
 * anything.
 *
 * @param function a function's name or ARN: its own findings and those of the layers it uses
 * @param minimumSeverity findings at least this severe
 */
public record FindingQuery(String function, Severity minimumSeverity, FindingType type) {

    public static final FindingQuery ALL = new FindingQuery(null, null, null);

    public boolean matches(Finding f) {
        return (minimumSeverity == null || f.severity().atLeast(minimumSeverity)) && (type == null || f.type() == type);
    }
}
