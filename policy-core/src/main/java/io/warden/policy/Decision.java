package io.warden.policy;

import java.util.Objects;

/**
 * The answer of the policy for one operation. Immutable; the evaluator hands out shared instances, so comparing with
 * {@code ==} is fine and a cached answer allocates nothing.
 */
public final class Decision {
    private final Action action;
    private final Category category;
    private final String rule;

    public Decision(Action action, Category category, String rule) {
        this.action = Objects.requireNonNull(action, "action");
        this.category = Objects.requireNonNull(category, "category");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public Action action() {
        return action;
    }

    /** True when the operation may proceed: {@link Action#ALLOWED} or {@link Action#ALERTED}. */
    public boolean permitted() {
        return action != Action.BLOCKED;
    }

    /** True when the operation is to be reported: {@link Action#ALERTED} or {@link Action#BLOCKED}. */
    public boolean violation() {
        return action != Action.ALLOWED;
    }

    public Category category() {
        return category;
    }

    /** The rule that decided, e.g. {@code network.deny[2]}, {@code network.allow (no match)}, {@code baseline}. */
    public String rule() {
        return rule;
    }

    @Override
    public String toString() {
        return category.jsonName() + " " + action.jsonName() + " by " + rule;
    }
}
