package io.warden.service.store;

import java.time.Instant;

/**
 * An API token, known only by the SHA-256 of its text.
 *
 * @param role {@code admin} or {@code reporter}
 * @param function the function a reporter token may act for, {@code *} for every function; null for admin
 */
public record TokenRecord(String sha256Hex, String role, String function, Instant createdAt) {}
