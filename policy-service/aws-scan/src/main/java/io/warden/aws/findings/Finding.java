package io.warden.aws.findings;

import io.warden.scanner.Severity;
import java.util.Objects;

/**
 * One problem of one deployed resource.
 *
 * @param resourceArn the function (unqualified ARN) or the layer version the finding belongs to
 * @param rule the finding's id: a posture rule such as {@code runtime-deprecated}, an advisory id such as
 *     {@code GHSA-jfh8-c2jp-5v3q}, a secret rule, or {@code unscannable}
 * @param subject what the finding is about within the resource (a component's package URL, a variable, a file, a
 *     policy statement); together with the resource and the rule it identifies the finding across scans
 * @param title one line for a person
 * @param remediation what to do about it
 */
public record Finding(
        String resourceArn,
        FindingType type,
        String rule,
        Severity severity,
        String subject,
        String title,
        String remediation) {

    public Finding {
        Objects.requireNonNull(resourceArn, "resourceArn");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        subject = subject == null ? "" : subject;
    }

    /** Identifies the finding across scans: a finding whose key was not stored before is new. */
    public String key() {
        return resourceArn + "|" + type + "|" + rule + "|" + subject;
    }

    /** The same finding attached to another resource (a package's findings belong to each function using it). */
    public Finding on(String otherResourceArn) {
        return new Finding(otherResourceArn, type, rule, severity, subject, title, remediation);
    }
}
