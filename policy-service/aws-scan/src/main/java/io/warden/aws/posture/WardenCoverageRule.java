package io.warden.aws.posture;

import io.warden.aws.discovery.LayerVersionArn;
import io.warden.aws.findings.Finding;
import io.warden.aws.findings.FindingType;
import io.warden.scanner.Severity;
import java.util.List;
import java.util.Locale;

/**
 * Whether Warden guards a Java function: {@code warden-absent} (high) without the Warden layer or without its exec
 * wrapper; {@code warden-outdated} (medium) with an older version of the layer than the newest published;
 * {@code warden-alert-mode} (medium) and {@code warden-off} (high) when {@code WARDEN_MODE} makes it only report or do
 * nothing. Other runtimes are not reported: Warden protects Java functions.
 */
public final class WardenCoverageRule implements PostureRule {
    public static final String ABSENT = "warden-absent";
    public static final String OUTDATED = "warden-outdated";
    public static final String ALERT_MODE = "warden-alert-mode";
    public static final String OFF = "warden-off";
    public static final String WRAPPER_VARIABLE = "AWS_LAMBDA_EXEC_WRAPPER";
    public static final String WRAPPER = "/opt/warden-wrapper";
    public static final String MODE_VARIABLE = "WARDEN_MODE";

    private static final String ATTACH = "Attach the Warden layer and set AWS_LAMBDA_EXEC_WRAPPER=/opt/warden-wrapper"
            + " (see the README, \"Attach Warden to an existing function\").";

    @Override
    public List<Finding> evaluate(FunctionContext f) {
        String runtime = f.function().runtime();
        if (runtime == null || !runtime.startsWith("java")) {
            return List.of();
        }
        String arn = f.function().functionArn();
        boolean wrapped = WRAPPER.equals(f.function().environment().get(WRAPPER_VARIABLE));
        if (f.wardenLayer() == null) {
            return List.of(new Finding(
                    arn,
                    FindingType.POSTURE,
                    ABSENT,
                    Severity.HIGH,
                    "layer",
                    wrapped
                            ? "AWS_LAMBDA_EXEC_WRAPPER names " + WRAPPER
                                    + " but no Warden layer is attached: the function"
                                    + " fails to start or runs unprotected"
                            : "Warden is not attached: the function runs unprotected",
                    ATTACH));
        }
        if (!wrapped) {
            return List.of(new Finding(
                    arn,
                    FindingType.POSTURE,
                    ABSENT,
                    Severity.HIGH,
                    "wrapper",
                    "The Warden layer is attached but AWS_LAMBDA_EXEC_WRAPPER is not " + WRAPPER
                            + ": the agent is never loaded",
                    ATTACH));
        }
        List<Finding> findings = new java.util.ArrayList<>();
        long attached = LayerVersionArn.parse(f.wardenLayer()).version();
        if (f.latestWardenLayerVersion() > attached) {
            findings.add(new Finding(
                    arn,
                    FindingType.POSTURE,
                    OUTDATED,
                    Severity.MEDIUM,
                    "layer",
                    "Warden layer version " + attached + " is attached; version " + f.latestWardenLayerVersion()
                            + " is the newest",
                    "Update the function's layer to "
                            + LayerVersionArn.parse(f.wardenLayer()).layerArn() + ":" + f.latestWardenLayerVersion()
                            + "."));
        }
        String mode = f.function()
                .environment()
                .getOrDefault(MODE_VARIABLE, "")
                .trim()
                .toLowerCase(Locale.ROOT);
        if (mode.equals("alert")) {
            findings.add(new Finding(
                    arn,
                    FindingType.POSTURE,
                    ALERT_MODE,
                    Severity.MEDIUM,
                    "mode",
                    "WARDEN_MODE=alert: Warden reports violations but does not block them",
                    "Review the function's alerts, adjust its policy, then remove WARDEN_MODE (or set it to block)."));
        } else if (mode.equals("off")) {
            findings.add(new Finding(
                    arn,
                    FindingType.POSTURE,
                    OFF,
                    Severity.HIGH,
                    "mode",
                    "WARDEN_MODE=off: Warden neither blocks nor reports anything",
                    "Remove WARDEN_MODE or set it to alert or block."));
        }
        return findings;
    }
}
