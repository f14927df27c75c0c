package io.warden.aws.iam;

import java.util.List;
import java.util.Locale;

/**
 * One statement of an IAM policy document, with single values and lists both read as lists.
 *
 * @param principals the {@code Principal} values ({@code "*"} for a bare star; {@code AWS:*} style entries for the
 *     map form, as {@code TYPE:VALUE})
 * @param hasCondition whether a {@code Condition} block restricts the statement
 */
public record PolicyStatement(
        String sid,
        boolean allow,
        List<String> principals,
        List<String> actions,
        List<String> notActions,
        List<String> resources,
        boolean hasCondition) {

    public PolicyStatement {
        principals = List.copyOf(principals);
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        resources = List.copyOf(resources);
    }

    /** Whether this statement grants {@code action} (IAM action names are case-insensitive; {@code *} and
     * {@code ?} are wildcards). */
    public boolean grants(String action) {
        if (!allow) {
            return false;
        }
        if (!notActions.isEmpty()) {
            return notActions.stream().noneMatch(p -> wildcardMatches(p, action));
        }
        return actions.stream().anyMatch(p -> wildcardMatches(p, action));
    }

    /** Whether anyone at all may use it: {@code Principal: "*"} or {@code {"AWS": "*"}}. */
    public boolean anyPrincipal() {
        return principals.contains("*") || principals.contains("AWS:*");
    }

    public boolean onAnyResource() {
        return resources.contains("*");
    }

    /** An IAM wildcard pattern against a value, ignoring case. */
    public static boolean wildcardMatches(String pattern, String value) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String v = value.toLowerCase(Locale.ROOT);
        int pi = 0;
        int vi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
