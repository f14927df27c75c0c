package io.warden.agent.core.enforce;

import io.warden.agent.core.report.ViolationReporter;
import io.warden.policy.Category;
import io.warden.policy.Decision;
import io.warden.policy.PolicyEvaluator;
import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;

/**
 * A JVM-wide serial filter that rejects known gadget classes. It is installed as the filter factory, which the JDK lets
 * be set only once, so the function can add its own filters (they are merged with this one) but not remove it.
 */
public final class DeserializationFilter implements ObjectInputFilter {

    private final PolicyEvaluator evaluator;
    private final ViolationReporter reporter;

    private DeserializationFilter(PolicyEvaluator evaluator, ViolationReporter reporter) {
        this.evaluator = evaluator;
        this.reporter = reporter;
    }

    /** Installs the filter; returns false if a filter factory was already set (for example by a system property). */
    public static boolean install(PolicyEvaluator evaluator, ViolationReporter reporter) {
        DeserializationFilter warden = new DeserializationFilter(evaluator, reporter);
        try {
            ObjectInputFilter.Config.setSerialFilterFactory(new Factory(warden));
            return true;
        } catch (IllegalStateException alreadySet) {
            return false;
        }
    }

    @Override
    public Status checkInput(FilterInfo info) {
        Class<?> type = info.serialClass();
        while (type != null && type.isArray()) {
            type = type.getComponentType();
        }
        if (type == null || type.isPrimitive()) {
            return Status.UNDECIDED;
        }
        String className = type.getName();
        Decision decision = evaluator.deserialize(className);
        if (!decision.violation()) {
            return Status.UNDECIDED;
        }
        reporter.report(Category.DESERIALIZATION, "deserialize", className, decision);
        return decision.permitted() ? Status.UNDECIDED : Status.REJECTED;
    }

    /** Puts Warden's filter in front of whatever filter a stream would otherwise get. */
    private static final class Factory implements BinaryOperator<ObjectInputFilter> {
        private final DeserializationFilter warden;

        Factory(DeserializationFilter warden) {
            this.warden = warden;
        }

        @Override
        public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter requested) {
            return requested == null ? warden : ObjectInputFilter.merge(warden, requested);
        }
    }
}
