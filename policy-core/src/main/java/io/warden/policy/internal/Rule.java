package io.warden.policy.internal;

/** One entry of a policy list, kept with the text it was written as. */
public interface Rule {
    /** The entry as written in the policy. */
    String text();
}
