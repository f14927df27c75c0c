package io.warden.aws.findings;

import java.time.Instant;
import java.util.List;

/**
 * What one code package (a function's code or a layer version's content, identified by its {@code CodeSha256})
 * contains and what was found in it. Findings here are attached to the package itself ({@code resourceArn} is
 * {@code sha256:<CodeSha256>}); each function or layer using the package gets them under its own ARN.
 *
 * @param databaseImportedAt when the advisory database it was matched against was imported, or null
 */
public record PackageRecord(
        String codeSha256,
        List<StoredComponent> components,
        List<Finding> findings,
        Instant scannedAt,
        Instant databaseImportedAt) {

    public PackageRecord {
        components = List.copyOf(components);
        findings = List.copyOf(findings);
    }

    public static String resourceOf(String codeSha256) {
        return "sha256:" + codeSha256;
    }
}
