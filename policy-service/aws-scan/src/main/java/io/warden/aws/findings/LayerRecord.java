package io.warden.aws.findings;

import java.time.Instant;
import java.util.List;

/** The inventory entry of one layer version and the findings of its content. */
public record LayerRecord(String layerVersionArn, String codeSha256, List<Finding> findings, Instant scannedAt) {

    public LayerRecord {
        findings = List.copyOf(findings);
    }
}
