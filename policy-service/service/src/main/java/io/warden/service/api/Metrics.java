package io.warden.service.api;

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

    void request(String route, int status) {
        requests.computeIfAbsent("route=\"" + route + "\",status=\"" + status + "\"", key -> new LongAdder()).increment();
    }

    void report(int accepted, int duplicates) {
        reports.increment();
        eventsAccepted.add(accepted);
        eventsDuplicate.add(duplicates);
    }

    String prometheusText() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP warden_requests_total HTTP requests answered, by route and status.\n");
        out.append("# TYPE warden_requests_total counter\n");
        new TreeMap<>(requests).forEach((labels, count) ->
                out.append("warden_requests_total{").append(labels).append("} ").append(count.sum()).append('\n'));
        counter(out, "warden_reports_total", "Violation reports stored.", reports.sum());
        counter(out, "warden_events_accepted_total", "Violation events stored.", eventsAccepted.sum());
        counter(out, "warden_events_duplicate_total", "Violation events received again and not stored twice.",
                eventsDuplicate.sum());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}
