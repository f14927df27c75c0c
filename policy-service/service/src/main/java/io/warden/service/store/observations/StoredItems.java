package io.warden.service.store.observations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.policy.observe.Observation;
import io.warden.policy.observe.ObservationJson;
import io.warden.policy.observe.ObservedItem;
import io.warden.service.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the stores keep an item: its key, and its identity as {@link ObservationJson#toJson} writes it, read back with
 * the observation parser itself (so the stored form is the line's own).
 */
public final class StoredItems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredItems() {}

    /** The item's store key: the SHA-256 (hex) of its identity, short and of fixed length whatever the item. */
    public static String key(ObservedItem item) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(item.key().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The item as stored: its JSON (its count and caller are the stored columns', not these). */
    public static String json(ObservedItem item) {
        return ObservationJson.toJson(item);
    }

    /** The stored item with its merged count and last caller. */
    public static ObservedItem read(String json, long count, String caller) {
        ObjectNode item;
        try {
            item = (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new StoreException("a stored observed item is not a JSON object: " + e.getMessage(), e);
        }
        item.put("count", count);
        if (caller == null) {
            item.remove("caller");
        } else {
            item.put("caller", caller);
        }
        ObjectNode line =
                JSON.createObjectNode().put("warden", Observation.KIND).put("version", Observation.VERSION);
        line.put("time", "1970-01-01T00:00:00Z");
        line.putArray("items").add(item);
        return ObservationJson.parse(line.toString()).items().get(0);
    }
}
