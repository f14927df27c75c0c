package io.warden.aws.posture;

import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.scanner.Severity;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code runtime-deprecated} (high): the runtime is past its deprecation date and gets no more security patches.
 * {@code runtime-deprecation-soon} (medium): it will be within {@value #SOON_DAYS} days.
 */
public final class DeprecatedRuntimeRule implements PostureRule {
    public static final String DEPRECATED = "runtime-deprecated";
    public static final String SOON = "runtime-deprecation-soon";
    /** How far ahead a deprecation is announced as a finding: time to plan and test an upgrade. */
    public static final int SOON_DAYS = 180;

    private final RuntimeDeprecations table;

    public DeprecatedRuntimeRule(RuntimeDeprecations table) {
        this.table = table;
    }

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        String runtime = f.function().runtime();
        if (runtime == null) {
            return List.of();
        }
        return table.of(runtime)
                .map(d -> {
                    long daysLeft = ChronoUnit.DAYS.between(f.today(), d.deprecated());
                    String remediation = "Move the function to the " + d.replacement()
                            + " runtime (or another supported one)" + " and redeploy.";
                    if (daysLeft <= 0) {
                        return List.of(new Finding(
                                f.function().functionArn(),
                                FindingType.POSTURE,
                                DEPRECATED,
                                Severity.HIGH,
                                runtime,
                                "Runtime " + runtime + " was deprecated on " + d.deprecated()
                                        + ": it no longer receives security patches",
                                remediation));
                    }
                    if (daysLeft <= SOON_DAYS) {
                        return List.of(new Finding(
                                f.function().functionArn(),
                                FindingType.POSTURE,
                                SOON,
                                Severity.MEDIUM,
                                runtime,
                                "Runtime " + runtime + " will be deprecated on " + d.deprecated() + " (in " + daysLeft
                                        + " days)",
                                remediation));
                    }
                    return List.<Finding>of();
                })
                .orElse(List.of());
    }
}
