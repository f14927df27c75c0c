package io.warden.service.store;

import java.time.Instant;

/**
 * A function's policy, as canonical JSON ({@link io.warden.policy.Policy#toJson()}).
 *
 * @param revision grows with every change of the function's policy (see {@link Store#putPolicy}); signed with it, so
 *     that an agent can refuse a policy older than one it enforced
 */
public record StoredPolicy(String function, String json, Instant updatedAt, long revision) {}
