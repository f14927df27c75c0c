package io.warden.compat.micronaut;

import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A bean of the application context: writes the order's receipt with Micronaut Serialization. */
@Singleton
public class Orders {

    @Serdeable
    public record Receipt(String framework, String order) {}

    private final ObjectMapper json;

    Orders(ObjectMapper json) {
        this.json = json;
    }

    String receipt(String order) {
        try {
            return json.writeValueAsString(new Receipt("micronaut", order));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
