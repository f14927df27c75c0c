package io.warden.service.auth;

/**
 * An authenticated caller.
 *
 * @param scope for a reporter, the function it acts for, or {@link #EVERY_FUNCTION}; null for an admin or a viewer
 * @param description who it is, for messages: a token's hash prefix or an IAM principal
 */
public record Caller(Role role, String scope, String description) {

    /** A reporter scope covering every function of a deployment. */
    public static final String EVERY_FUNCTION = "*";

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this caller may read what people read: violations, inventory, policies, findings, scans. */
    public boolean mayRead() {
        return role == Role.ADMIN || role == Role.VIEWER;
    }

    /** Whether this caller may report for the function. */
    public boolean mayActFor(String function) {
        return isAdmin() || (role == Role.REPORTER && (EVERY_FUNCTION.equals(scope) || function.equals(scope)));
    }

    /** Whether this caller may read the function's policy: a reader, or a reporter for it. */
    public boolean mayReadPolicyOf(String function) {
        return mayRead() || mayActFor(function);
    }
}
