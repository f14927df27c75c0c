package io.warden.scanner.vuln;

import io.warden.scanner.Severity;
import java.util.List;

/**
 * An advisory as Warden keeps it.
 *
 * @param score the CVSS v3.x base score, or null when the record states no v3 vector
 * @param cvssVector the vector the score was computed from, or null
 */
public record Advisory(
        String id,
        String summary,
        List<String> aliases,
        Severity severity,
        Double score,
        String cvssVector,
        String modified) {

    public Advisory {
        aliases = List.copyOf(aliases);
    }
}
