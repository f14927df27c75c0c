package io.warden.service.store.observations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One observation line of an agent (docs/api.md, {@code POST /v1/observations}), checked: what {@link
 * ObservationStore#record} merges.
 *
 * @param version the function version ({@code AWS_LAMBDA_FUNCTION_VERSION})
 * @param requestId the invocation's request id, or null
 * @param dropped the distinct items the agent's own cap refused since its previous line
 */
public record ObservationLine(
        String function, String version, Instant time, String requestId, long dropped, List<Item> items) {

    public ObservationLine {
        items = List.copyOf(items);
    }

    /**
     * One observed item.
     *
     * @param fields the item's identifying fields ({@code kind}, {@code count} and {@code caller} left out) as
     *     canonical JSON: keys sorted, no spaces, so equal items have equal text
     * @param caller the last caller the agent saw, or null
     */
    public record Item(String kind, String fields, long count, String caller) {

        /** The item's key: kind and fields, hashed (SHA-256, hex) to a short, fixed-length key. */
        public String key() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest((kind + "\n" + fields).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }
}
