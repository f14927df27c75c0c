/**
 * What a function was seen doing: the observation line the agent writes (at most one per invocation, only with what
 * was new) and the service stores per function and version to suggest policies. {@link io.warden.policy.observe.Observation}
 * is the line, {@link io.warden.policy.observe.ObservedItem} its items, {@link io.warden.policy.observe.ObservationJson}
 * their JSON, whose schema is {@code observation.schema.json} beside these classes.
 */
package io.warden.policy.observe;
