package io.warden.service.store.observations;

/**
 * A function's observations as a whole, and what the store's caps refused.
 *
 * @param items the distinct items stored, over every version (at most {@link ObservationStore.Limits#maxItems})
 * @param versions the versions stored (at most {@link ObservationStore.Limits#maxVersions})
 * @param refusedItems new items refused because the function was at its item cap, or in a refused line
 * @param refusedLines lines refused whole because their version would have passed the version cap
 */
public record ObservationTotals(long items, long versions, long refusedItems, long refusedLines) {}
