package io.warden.aws.findings;

import java.time.Instant;
import java.util.List;

/**
 * The inventory entry of one deployed function: where it is, what code and layers it runs, and its findings (those
 * of its code package and its posture; a layer's findings stay with the layer).
 *
 * @param layerArns the layer versions attached, in order
 * @param wardenMode the function's {@code WARDEN_MODE}, or null when unset
 * @param wardenLayerVersion the version of the Warden layer attached, or 0 when none is
 */
public record FunctionRecord(
        String functionArn,
        String accountId,
        String region,
        String functionName,
        String runtime,
        String codeSha256,
        List<String> layerArns,
        String wardenMode,
        long wardenLayerVersion,
        List<Finding> findings,
        Instant scannedAt) {

    public FunctionRecord {
        layerArns = List.copyOf(layerArns);
        findings = List.copyOf(findings);
    }
}
