package io.warden.aws.findings;

import java.util.List;

/** Told about findings the first time they are seen. */
public interface FindingListener {
    FindingListener NONE = (functionName, findings) -> {};

    /**
     * @param functionName the function the findings belong to, or null for a layer version's findings
     */
    void newFindings(String functionName, List<Finding> findings);
}
