package io.warden.aws.iam;

import io.warden.aws.internal.OnceMap;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;

/**
 * Reads execution roles' policies from IAM ({@code GetRole}, {@code ListAttachedRolePolicies}, {@code GetPolicy},
 * {@code GetPolicyVersion}, {@code ListRolePolicies}, {@code GetRolePolicy}), each role and each managed policy once:
 * many functions share a role.
 */
public final class RolePermissionsReader {
    private final IamClient iam;
    private final OnceMap<RolePermissions> roles = new OnceMap<>();
    private final OnceMap<PolicyDocument> managed = new OnceMap<>();

    public RolePermissionsReader(IamClient iam) {
        this.iam = iam;
    }

    /** The role's permissions, or null when the role no longer exists. */
    public RolePermissions read(String roleArn) {
        return roles.get(roleArn, () -> fetch(roleArn));
    }

    private RolePermissions fetch(String roleArn) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        try {
            iam.getRole(r -> r.roleName(roleName));
        } catch (NoSuchEntityException e) {
            return null;
        }
        List<RolePermissions.NamedPolicy> attached = new ArrayList<>();
        for (AttachedPolicy p :
                iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName)).attachedPolicies()) {
            attached.add(new RolePermissions.NamedPolicy(p.policyArn(), managedDocument(p.policyArn())));
        }
        List<RolePermissions.NamedPolicy> inline = new ArrayList<>();
        for (String name :
                iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames()) {
            GetRolePolicyResponse p =
                    iam.getRolePolicy(r -> r.roleName(roleName).policyName(name));
            inline.add(new RolePermissions.NamedPolicy(
                    "inline:" + name, PolicyDocument.parseUrlEncoded(p.policyDocument())));
        }
        return new RolePermissions(roleArn, attached, inline);
    }

    private PolicyDocument managedDocument(String policyArn) {
        return managed.get(policyArn, () -> {
            Policy policy = iam.getPolicy(r -> r.policyArn(policyArn)).policy();
            String document = iam.getPolicyVersion(r -> r.policyArn(policyArn).versionId(policy.defaultVersionId()))
                    .policyVersion()
                    .document();
            return PolicyDocument.parseUrlEncoded(document);
        });
    }
}
