package io.warden.aws.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When AWS Lambda deprecates each runtime, as AWS publishes it; kept as data in {@value #RESOURCE} so that a new date
 * is a one-line change.
 */
public final class RuntimeDeprecations {
    static final String RESOURCE = "runtime-deprecations.json";

    /** @param replacement the runtime to move to */
    public record Deprecation(String runtime, LocalDate deprecated, String replacement) {}

    private final Map<String, Deprecation> byRuntime;

    public RuntimeDeprecations(Map<String, Deprecation> byRuntime) {
        this.byRuntime = Map.copyOf(byRuntime);
    }

    public static RuntimeDeprecations load() {
        try (InputStream in = RuntimeDeprecations.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            Map<String, Deprecation> table = new HashMap<>();
            for (JsonNode row : new ObjectMapper().readTree(in)) {
                String runtime = row.path("runtime").asText();
                String date = row.path("deprecated").asText();
                try {
                    table.put(
                            runtime,
                            new Deprecation(
                                    runtime,
                                    LocalDate.parse(date),
                                    row.path("replacement").asText()));
                } catch (DateTimeParseException e) {
                    throw new IllegalStateException(
                            RESOURCE + ": runtime " + runtime + " has deprecation date '" + date
                                    + "', expected YYYY-MM-DD",
                            e);
                }
            }
            return new RuntimeDeprecations(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public Optional<Deprecation> of(String runtime) {
        return Optional.ofNullable(byRuntime.get(runtime));
    }
}
