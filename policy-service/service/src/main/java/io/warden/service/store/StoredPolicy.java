package io.warden.service.store;

import java.time.Instant;

/** A function's policy, as canonical JSON ({@link io.warden.policy.Policy#toJson()}). */
public record StoredPolicy(String function, String json, Instant updatedAt) {}
