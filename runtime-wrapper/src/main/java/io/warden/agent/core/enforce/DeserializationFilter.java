package io.warden.agent.core.enforce;

import io.warden.agent.core.observe.Observer;
import io.warden.agent.core.report.ViolationReporter;
import io.warden.policy.Decision;
import io.warden.policy.PolicyEvaluator;
import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;

/**
 * A JVM-wide serial filter that rejects known gadget classes. It is installed as the filter factory, which the JDK lets
 * be set only once, so the function can add its own filters (they are merged with this one) but not remove it. It is
 * installed when first needed (the first ObjectInputStream, or the function's own attempt to set a factory) rather
 * than at start-up, where the JDK's filter configuration would cost every cold start tens of milliseconds.
 */
final class DeserializationFilter implements ObjectInputFilter {

    private final PolicyEvaluator evaluator;
    /** Reports a violation as Warden's own work, under the same guard as every other report. */
    private final Enforcer enforcer;

    private final ViolationReporter reporter;
    /** Null unless the policy learns. */
    private final Observer observer;
    /** A monitor rather than an AtomicBoolean, which costs milliseconds at start-up: see StartupTask. */
    private volatile boolean installed;

    DeserializationFilter(PolicyEvaluator evaluator, Enforcer enforcer, ViolationReporter reporter, Observer observer) {
        this.evaluator = evaluator;
        this.enforcer = enforcer;
        this.reporter = reporter;
        this.observer = observer;
    }

    /** Installs the filter the first time it is called; a factory set before (by a system property) is reported. */
    void ensureInstalled() {
        if (installed || !claimInstallation()) {
            return;
        }
        try {
            ObjectInputFilter.Config.setSerialFilterFactory(new Factory(this));
        } catch (IllegalStateException alreadySet) {
            reporter.internalError(
                    "deserialization filter",
                    new IllegalStateException(
                            "a serial filter factory was already set (jdk.serialFilterFactory); gadget classes are not filtered"));
        }
    }

    private synchronized boolean claimInstallation() {
        if (installed) {
            return false;
        }
        installed = true;
        return true;
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
        if (decision.violation()) {
            enforcer.deserializationViolation(className, decision);
        }
        if (!decision.permitted()) {
            return Status.REJECTED;
        }
        if (observer != null) {
            observer.deserialization(className);
        }
        return Status.UNDECIDED;
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
