package io.warden.policy;

/**
 * Names of Warden's CloudWatch metrics (Embedded Metric Format). The agent emits them, the template's dashboard and
 * alarms read them; both use these constants so that they cannot drift apart.
 */
public final class MetricNames {

    public static final String NAMESPACE = "Warden";
    public static final String BLOCKED = "Blocked";
    public static final String ALERTED = "Alerted";
    /** The agent could not start, or a hook it needs is missing: the function runs less protected than configured. */
    public static final String AGENT_FAILED = "AgentFailed";

    public static final String FINDINGS = "Findings";
    public static final String FUNCTION_NAME = "FunctionName";
    public static final String CATEGORY = "Category";
    public static final String SEVERITY = "Severity";
    public static final String UNIT_COUNT = "Count";

    private MetricNames() {}
}
