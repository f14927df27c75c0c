package io.warden.service.store;

import io.warden.policy.Action;
import io.warden.policy.Category;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Violations of a time range counted for a chart and for the top lists; every count adds up the events' {@code count}
 * (as the inventory does).
 *
 * @param series one per category and action that occurs, counts per bucket, by category then action
 * @param topFunctions the functions with the most violations, most first
 * @param topBlockedTargets the targets blocked most often, most first
 */
public record ViolationSummary(
        SummaryQuery query,
        long blocked,
        long alerted,
        List<Series> series,
        List<FunctionCount> topFunctions,
        List<TargetCount> topBlockedTargets) {

    public record Series(Category category, Action action, long[] counts) {}

    public record FunctionCount(String function, long blocked, long alerted) {
        long total() {
            return blocked + alerted;
        }
    }

    public record TargetCount(String target, Category category, long blocked) {}

    private record SeriesKey(Category category, Action action) {}

    private record TargetKey(String target, Category category) {}

    /** Collects counts, from grouped rows or event by event; one place decides the order and the cut. */
    public static final class Builder {

        private final SummaryQuery query;
        private final Map<SeriesKey, Series> series =
                new TreeMap<>(Comparator.comparing(SeriesKey::category).thenComparing(SeriesKey::action));
        private final Map<String, long[]> functions = new HashMap<>();
        private final Map<TargetKey, Long> targets = new HashMap<>();
        private long blocked;
        private long alerted;

        public Builder(SummaryQuery query) {
            this.query = query;
        }

        public void addToBucket(int bucket, Category category, Action action, long count) {
            if (action == Action.ALLOWED) {
                return;
            }
            series.computeIfAbsent(
                            new SeriesKey(category, action),
                            k -> new Series(category, action, new long[query.buckets()]))
                    .counts()[bucket] += count;
            if (action == Action.BLOCKED) {
                blocked += count;
            } else {
                alerted += count;
            }
        }

        public void addToFunction(String function, Action action, long count) {
            if (action == Action.ALLOWED) {
                return;
            }
            functions.computeIfAbsent(function, f -> new long[2])[action == Action.BLOCKED ? 0 : 1] += count;
        }

        public void addToBlockedTarget(String target, Category category, long count) {
            targets.merge(new TargetKey(target, category), count, Long::sum);
        }

        /** One stored event counted everywhere it counts. */
        public void addEvent(
                long timeMillis, String function, Category category, Action action, String target, long count) {
            addToBucket(query.bucketOf(timeMillis), category, action, count);
            addToFunction(function, action, count);
            if (action == Action.BLOCKED) {
                addToBlockedTarget(target, category, count);
            }
        }

        public ViolationSummary build() {
            List<FunctionCount> topFunctions = new ArrayList<>();
            functions.forEach((name, counts) -> topFunctions.add(new FunctionCount(name, counts[0], counts[1])));
            topFunctions.sort(
                    Comparator.comparingLong(FunctionCount::total).reversed().thenComparing(FunctionCount::function));
            List<TargetCount> topTargets = new ArrayList<>();
            targets.forEach((key, count) -> topTargets.add(new TargetCount(key.target(), key.category(), count)));
            topTargets.sort(Comparator.comparingLong(TargetCount::blocked)
                    .reversed()
                    .thenComparing(TargetCount::target)
                    .thenComparing(t -> t.category().jsonName()));
            return new ViolationSummary(
                    query,
                    blocked,
                    alerted,
                    List.copyOf(series.values()),
                    List.copyOf(topFunctions.subList(0, Math.min(query.top(), topFunctions.size()))),
                    List.copyOf(topTargets.subList(0, Math.min(query.top(), topTargets.size()))));
        }
    }
}
