package io.warden.aws.iam;

import java.util.List;

/**
 * What an execution role may do: its attached managed policies and its inline policies.
 *
 * @param attached managed policies by ARN, each with its default version's document
 */
public record RolePermissions(String roleArn, List<NamedPolicy> attached, List<NamedPolicy> inline) {
    public static final String ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

    /** A policy and where it comes from: a managed policy's ARN or {@code inline:NAME}. */
    public record NamedPolicy(String name, PolicyDocument document) {}

    public RolePermissions {
        attached = List.copyOf(attached);
        inline = List.copyOf(inline);
    }

    public List<NamedPolicy> all() {
        return java.util.stream.Stream.concat(attached.stream(), inline.stream())
                .toList();
    }
}
