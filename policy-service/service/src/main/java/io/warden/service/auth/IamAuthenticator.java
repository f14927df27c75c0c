package io.warden.service.auth;

import io.warden.service.api.ApiException;
import io.warden.service.api.ApiRequest;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Behind API Gateway with IAM authorization, the gateway has verified the caller's signature and passes its ARN.
 * Principals listed as admins are admins. A Lambda function calls with its execution role, and Lambda names the role
 * session after the function, so {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION} is a reporter for
 * {@code FUNCTION}. Requests that came without IAM authorization fall back to tokens.
 */
public final class IamAuthenticator implements Authenticator {

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:aws[a-z-]*:sts::(\\d{12}):assumed-role/([^/]+)/([^/]+)");

    private final Set<String> adminRoleArns;
    private final Authenticator withoutIam;

    /**
     * @param adminRoleArns IAM role ARNs ({@code arn:aws:iam::ACCOUNT:role/NAME}) whose sessions are admins
     */
    public IamAuthenticator(Set<String> adminRoleArns, Authenticator withoutIam) {
        this.adminRoleArns = Set.copyOf(adminRoleArns);
        this.withoutIam = withoutIam;
    }

    @Override
    public Caller authenticate(ApiRequest request) {
        String principal = request.iamPrincipalArn();
        if (principal == null) {
            return withoutIam.authenticate(request);
        }
        Matcher assumedRole = ASSUMED_ROLE.matcher(principal);
        if (!assumedRole.matches()) {
            if (adminRoleArns.contains(principal)) {
                return new Caller(Role.ADMIN, null, principal);
            }
            throw ApiException.forbidden("IAM principal " + principal + " is neither an admin nor a function's role");
        }
        String partition = principal.substring("arn:".length(), principal.indexOf(':', "arn:".length()));
        String roleArn = "arn:" + partition + ":iam::" + assumedRole.group(1) + ":role/" + assumedRole.group(2);
        if (adminRoleArns.contains(roleArn)) {
            return new Caller(Role.ADMIN, null, principal);
        }
        return new Caller(Role.REPORTER, assumedRole.group(3), principal);
    }
}
