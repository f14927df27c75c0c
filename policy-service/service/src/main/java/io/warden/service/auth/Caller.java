package io.warden.service.auth;

/**
 * An authenticated caller.
 *
 * @param scope for a reporter, the function it acts for, or {@link #EVERY_FUNCTION}; null for an admin
 * @param description who it is, for messages: a token's hash prefix or an IAM principal
 */
public record Caller(Role role, String scope, String description) {

    /** A reporter scope covering every function of a deployment. */
    public static final String EVERY_FUNCTION = "*";

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this caller may report for, and read the policy of, the function. */
    public boolean mayActFor(String function) {
        return isAdmin() || EVERY_FUNCTION.equals(scope) || function.equals(scope);
    }
}
