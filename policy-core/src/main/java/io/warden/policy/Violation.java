package io.warden.policy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A violation event: one JSON object per line on stdout (see {@link ViolationJson}). Immutable; build with
 * {@link #builder()}.
 */
public final class Violation {
    /** The value of the {@code warden} field, by which log queries find these events. */
    public static final String KIND = "violation";

    public static final String PHASE_INIT = "init";
    public static final String PHASE_INVOKE = "invoke";

    private final String id;
    private final Instant time;
    private final String function;
    private final Category category;
    private final String operation;
    private final String target;
    private final Action action;
    private final String rule;
    private final String caller;
    private final int count;
    private final String requestId;
    private final String functionVersion;
    private final Boolean coldStart;
    private final String phase;
    private final Mode mode;

    private Violation(Builder b) {
        this.id = b.id != null ? b.id : UUID.randomUUID().toString();
        this.time = (b.time != null ? b.time : Instant.now()).truncatedTo(ChronoUnit.MILLIS);
        this.function = b.function;
        this.category = require(b.category, "category");
        this.operation = requireText(b.operation, "operation");
        this.target = require(b.target, "target");
        this.action = require(b.action, "action");
        this.rule = requireText(b.rule, "rule");
        this.caller = b.caller;
        this.count = b.count;
        this.requestId = b.requestId;
        this.functionVersion = b.functionVersion;
        this.coldStart = b.coldStart;
        this.phase = b.phase;
        this.mode = b.mode;
        if (action == Action.ALLOWED) {
            throw new IllegalArgumentException("a violation is blocked or alerted, not allowed");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is less than 1");
        }
        if (phase != null && !phase.equals(PHASE_INIT) && !phase.equals(PHASE_INVOKE)) {
            throw new IllegalArgumentException("phase \"" + phase + "\" is not init or invoke");
        }
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's fields, e.g. to make the same event with another count. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .time(time)
                .function(function)
                .category(category)
                .operation(operation)
                .target(target)
                .action(action)
                .rule(rule)
                .caller(caller)
                .count(count)
                .requestId(requestId)
                .functionVersion(functionVersion)
                .coldStart(coldStart)
                .phase(phase)
                .mode(mode);
    }

    /** Unique event id, so that ingestion can drop duplicates. */
    public String id() {
        return id;
    }

    /** When it happened, to the millisecond. */
    public Instant time() {
        return time;
    }

    /** The function name ({@code AWS_LAMBDA_FUNCTION_NAME}), or null. */
    public String function() {
        return function;
    }

    public Category category() {
        return category;
    }

    /**
     * connect, send, listen, accept, resolve, read, write, append, create, delete, rename, mkdir, list, link,
     * attributes, stat, bind, exec, signal, inspect, load, lookup, deserialize.
     */
    public String operation() {
        return operation;
    }

    /** host:port, path, command line, library path, JNDI name or class name. */
    public String target() {
        return target;
    }

    /** {@link Action#BLOCKED} or {@link Action#ALERTED}. */
    public Action action() {
        return action;
    }

    /** The rule that decided, as in {@link Decision#rule()}. */
    public String rule() {
        return rule;
    }

    /** The first stack frame outside the JDK and Warden, or null. */
    public String caller() {
        return caller;
    }

    /** How many identical violations this event stands for (at least 1). */
    public int count() {
        return count;
    }

    public String requestId() {
        return requestId;
    }

    public String functionVersion() {
        return functionVersion;
    }

    public Boolean coldStart() {
        return coldStart;
    }

    /** {@link #PHASE_INIT}, {@link #PHASE_INVOKE} or null. */
    public String phase() {
        return phase;
    }

    /** The mode of the category when it happened, or null. */
    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return ViolationJson.toJsonLine(this);
    }

    /** Collects the fields of a {@link Violation}; id and time default to a random UUID and now. */
    public static final class Builder {
        private String id;
        private Instant time;
        private String function;
        private Category category;
        private String operation;
        private String target;
        private Action action;
        private String rule;
        private String caller;
        private int count = 1;
        private String requestId;
        private String functionVersion;
        private Boolean coldStart;
        private String phase;
        private Mode mode;

        private Builder() {}

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder time(Instant value) {
            time = value;
            return this;
        }

        public Builder function(String value) {
            function = value;
            return this;
        }

        public Builder category(Category value) {
            category = value;
            return this;
        }

        public Builder operation(String value) {
            operation = value;
            return this;
        }

        public Builder target(String value) {
            target = value;
            return this;
        }

        public Builder action(Action value) {
            action = value;
            return this;
        }

        public Builder rule(String value) {
            rule = value;
            return this;
        }

        /** Sets category, action and rule from a decision. */
        public Builder decision(Decision decision) {
            return category(decision.category()).action(decision.action()).rule(decision.rule());
        }

        public Builder caller(String value) {
            caller = value;
            return this;
        }

        public Builder count(int value) {
            count = value;
            return this;
        }

        public Builder requestId(String value) {
            requestId = value;
            return this;
        }

        public Builder functionVersion(String value) {
            functionVersion = value;
            return this;
        }

        public Builder coldStart(Boolean value) {
            coldStart = value;
            return this;
        }

        public Builder phase(String value) {
            phase = value;
            return this;
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the missing or invalid field */
        public Violation build() {
            return new Violation(this);
        }
    }
}
