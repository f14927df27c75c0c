package io.warden.service.learn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.store.observations.ObservationStore;
import io.warden.service.store.observations.ObservationTotals;
import io.warden.service.store.observations.ObservedPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * How much was observed of each function, and whether suggestions from it can be trusted yet ({@code GET
 * /v1/learning}), from the stored observations' counters alone: each function costs its version records and its
 * totals (two small reads), never its items or violations, so that a fleet of hundreds of functions is summarised in
 * one request; what a suggestion would change is left to the per-function suggestion routes.
 */
public final class LearningSummary {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LearningSummary() {}

    /** The summary of each function named, in their order. */
    public static ObjectNode summarize(ObservationStore observations, Collection<String> functions) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode thresholds = body.putObject("trustedAfter");
        thresholds.put("days", Trust.SPAN.toDays());
        thresholds.put("invocations", Trust.INVOCATIONS);
        ArrayNode list = body.putArray("functions");
        for (String function : functions) {
            list.add(function(
                    function,
                    ObservedPeriod.of(observations.versions(function)),
                    observations.totals(function).orElse(new ObservationTotals(0, 0, 0, 0))));
        }
        return body;
    }

    private static ObjectNode function(String function, ObservedPeriod period, ObservationTotals totals) {
        long dropped = period.dropped();
        long refused = period.refusedItems();
        long lines = period.lines();
        Instant first = period.firstSeen();
        Instant last = period.lastSeen();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("function", function);
        node.put("lines", lines);
        node.put("items", totals.items());
        node.set("versions", MAPPER.valueToTree(period.versions()));
        node.put("firstSeen", first == null ? null : first.toString());
        node.put("lastSeen", last == null ? null : last.toString());
        node.put(
                "spanSeconds", first == null ? 0 : Duration.between(first, last).toSeconds());
        node.put("dropped", dropped);
        node.put("refusedItems", refused);
        node.put("refusedLines", totals.refusedLines());
        boolean complete = dropped == 0 && refused == 0 && totals.refusedLines() == 0;
        node.put("complete", complete);
        ArrayNode warnings = node.putArray("warnings");
        if (lines == 0) {
            warnings.add("nothing observed: no suggestion can narrow the policy in force");
        } else if (!complete) {
            warnings.add("observations are incomplete (" + dropped + " items dropped by the agent, "
                    + (refused + totals.refusedLines()) + " items or lines refused by the store): a suggestion"
                    + " adds to the policy in force and removes nothing");
        }
        Trust.warnings(first, last, lines).forEach(warnings::add);
        node.put("ready", warnings.isEmpty());
        return node;
    }
}
