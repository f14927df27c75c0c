package io.warden.service.api;

import io.warden.service.store.observations.ObservationStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of this service process, written in the Prometheus text format. */
public final class Metrics {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder eventsAccepted = new LongAdder();
    private final LongAdder eventsDuplicate = new LongAdder();
    private final LongAdder reports = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder observations = new LongAdder();
    private final LongAdder observationsDuplicate = new LongAdder();
    private final LongAdder observedItemsRefused = new LongAdder();

    void request(String route, int status) {
        requests.computeIfAbsent("route=\"" + route + "\",status=\"" + status + "\"", key -> new LongAdder())
                .increment();
    }

    void report(int accepted, int duplicates) {
        reports.increment();
        eventsAccepted.add(accepted);
        eventsDuplicate.add(duplicates);
    }

    void observation(ObservationStore.RecordResult result) {
        if (result.duplicate()) {
            observationsDuplicate.increment();
        } else {
            observations.increment();
            observedItemsRefused.add(result.refused());
        }
    }

    /**
     * A request or connection the HTTP server refused or closed before the API saw it, by reason (e.g.
     * {@code head_timeout}, {@code client_connections}, {@code auth_failures}).
     */
    public void refused(String reason) {
        refused.computeIfAbsent(reason, key -> new LongAdder()).increment();
    }

    String prometheusText() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP warden_requests_total HTTP requests answered, by route and status.\n");
        out.append("# TYPE warden_requests_total counter\n");
        new TreeMap<>(requests)
                .forEach((labels, count) -> out.append("warden_requests_total{")
                        .append(labels)
                        .append("} ")
                        .append(count.sum())
                        .append('\n'));
        out.append(
                        "# HELP warden_http_refused_total Requests and connections the server refused or closed before the API")
                .append(" saw them, by reason.\n");
        out.append("# TYPE warden_http_refused_total counter\n");
        new TreeMap<>(refused)
                .forEach((reason, count) -> out.append("warden_http_refused_total{reason=\"")
                        .append(reason)
                        .append("\"} ")
                        .append(count.sum())
                        .append('\n'));
        counter(out, "warden_reports_total", "Violation reports stored.", reports.sum());
        counter(out, "warden_events_accepted_total", "Violation events stored.", eventsAccepted.sum());
        counter(
                out,
                "warden_events_duplicate_total",
                "Violation events received again and not stored twice.",
                eventsDuplicate.sum());
        counter(out, "warden_observations_total", "Observation lines stored.", observations.sum());
        counter(
                out,
                "warden_observations_duplicate_total",
                "Observation lines received again and not merged twice.",
                observationsDuplicate.sum());
        counter(
                out,
                "warden_observed_items_refused_total",
                "Observed items refused because their function was at its cap.",
                observedItemsRefused.sum());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}
