package io.warden.aws.findings;

import io.warden.aws.iam.RolePermissions;
import java.time.Instant;
import java.util.List;

/**
 * The inventory entry of one deployed function: where it is, what code and layers it runs, and its findings (those
 * of its code package and its posture; a layer's findings stay with the layer).
 *
 * @param layerArns the layer versions attached, in order
 * @param wardenMode the function's {@code WARDEN_MODE}, or null when unset
 * @param wardenLayerVersion the version of the Warden layer attached, or 0 when none is
 * @param executionRole the execution role's policies as the scan read them, or null when unknown (the role does not
 *     exist, or the record predates roles in the inventory)
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
        Instant scannedAt,
        RolePermissions executionRole) {

    public FunctionRecord {
        layerArns = List.copyOf(layerArns);
        findings = List.copyOf(findings);
    }

    /** An entry without its execution role. */
    public FunctionRecord(
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
        this(
                functionArn,
                accountId,
                region,
                functionName,
                runtime,
                codeSha256,
                layerArns,
                wardenMode,
                wardenLayerVersion,
                findings,
                scannedAt,
                null);
    }

    /** The same entry with other findings. */
    public FunctionRecord withFindings(List<Finding> otherFindings) {
        return new FunctionRecord(
                functionArn,
                accountId,
                region,
                functionName,
                runtime,
                codeSha256,
                layerArns,
                wardenMode,
                wardenLayerVersion,
                otherFindings,
                scannedAt,
                executionRole);
    }
}
