package io.warden.service.store;

import java.time.Instant;

/**
 * An API token, known only by the SHA-256 of its text.
 *
 * @param role {@code admin}, {@code viewer} or {@code reporter}
 * @param function the function a reporter token may act for, {@code *} for every function; null for the others
 * @param expiresAt when it stops working, or null for never
 * @param label what it is for, as its minter said (null when not said); {@value #ADMIN_TOKEN_FILE_LABEL} for the token
 *     of {@code warden serve}'s {@code admin-token} file
 */
public record TokenRecord(
        String sha256Hex, String role, String function, Instant createdAt, Instant expiresAt, String label) {

    public static final String ADMIN_TOKEN_FILE_LABEL = "admin-token file";
    /** Hex digits of the hash that name a token: enough to tell tokens apart, nothing towards guessing one. */
    public static final int ID_HEX_DIGITS = 16;

    public TokenRecord(String sha256Hex, String role, String function, Instant createdAt) {
        this(sha256Hex, role, function, createdAt, null, null);
    }

    /** How the API names the token: the first {@value #ID_HEX_DIGITS} hex digits of its SHA-256. */
    public String id() {
        return sha256Hex.substring(0, ID_HEX_DIGITS);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
