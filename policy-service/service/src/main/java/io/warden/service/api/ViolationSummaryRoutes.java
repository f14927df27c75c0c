package io.warden.service.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.service.auth.Caller;
import io.warden.service.store.EventTimes;
import io.warden.service.store.Store;
import io.warden.service.store.SummaryQuery;
import io.warden.service.store.ViolationSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/violations/summary}: the violations of a time range counted per bucket, category and action, with the
 * functions and blocked targets that have the most; what a chart needs without reading every event.
 */
final class ViolationSummaryRoutes {

    static final long DEFAULT_BUCKET_SECONDS = 3_600;
    static final long MIN_BUCKET_SECONDS = 60;
    static final long MAX_BUCKET_SECONDS = 7 * 86_400;
    static final int MAX_BUCKETS = 1_000;
    static final Duration DEFAULT_RANGE = Duration.ofDays(1);
    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 100;
    private static final Set<String> PARAMETERS = Set.of("function", "since", "until", "bucket", "top");

    private final Store store;
    private final Clock clock;

    ViolationSummaryRoutes(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/v1/violations/summary", Route.Access.READ, this::summary));
    }

    private ApiResponse summary(ApiRequest request, Caller caller, List<String> pathParameters) {
        QueryParameters query = QueryParameters.parse(request.rawQuery(), PARAMETERS);
        String function =
                query.get("function") == null ? null : FunctionNames.require(query.get("function"), "function");
        Instant until = ViolationRoutes.instant(query, "until");
        if (until == null) {
            until = clock.instant();
        }
        Instant since = ViolationRoutes.instant(query, "since");
        if (since == null) {
            since = until.minus(DEFAULT_RANGE);
        }
        if (!EventTimes.contains(since)) {
            throw ApiException.badRequest("\"since\" " + since + " is " + EventTimes.describe());
        }
        if (!since.isBefore(until)) {
            throw ApiException.badRequest("\"since\" " + since + " is not before \"until\" " + until);
        }
        long bucketSeconds = number(query, "bucket", DEFAULT_BUCKET_SECONDS, MIN_BUCKET_SECONDS, MAX_BUCKET_SECONDS);
        int top = (int) number(query, "top", DEFAULT_TOP, 1, MAX_TOP);
        SummaryQuery summaryQuery = new SummaryQuery(function, since, until, Duration.ofSeconds(bucketSeconds), top);
        if (Duration.between(since, until).toSeconds() / bucketSeconds >= MAX_BUCKETS) {
            throw ApiException.badRequest(
                    "from \"since\" " + since + " to \"until\" " + until + " are more than " + MAX_BUCKETS
                            + " buckets of " + bucketSeconds + " s; choose a larger \"bucket\" or a shorter range");
        }
        return ApiResponse.json(200, toJson(store.summarize(summaryQuery)));
    }

    private static long number(QueryParameters query, String name, long defaultValue, long min, long max) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below.
        }
        throw ApiException.badRequest(
                "\"" + name + "\" \"" + ApiJson.abbreviate(value) + "\" is not a number from " + min + " to " + max);
    }

    private static ObjectNode toJson(ViolationSummary summary) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        SummaryQuery query = summary.query();
        body.put("function", query.function());
        body.put("since", query.since().toString());
        body.put("until", query.until().toString());
        body.put("bucketSeconds", query.bucket().toSeconds());
        body.put("buckets", query.buckets());
        body.putObject("totals").put("blocked", summary.blocked()).put("alerted", summary.alerted());
        ArrayNode series = body.putArray("series");
        for (ViolationSummary.Series s : summary.series()) {
            ObjectNode node = series.addObject();
            node.put("category", s.category().jsonName());
            node.put("action", s.action().jsonName());
            ArrayNode counts = node.putArray("counts");
            for (long count : s.counts()) {
                counts.add(count);
            }
        }
        ArrayNode functions = body.putArray("topFunctions");
        summary.topFunctions()
                .forEach(f -> functions
                        .addObject()
                        .put("function", f.function())
                        .put("blocked", f.blocked())
                        .put("alerted", f.alerted()));
        ArrayNode targets = body.putArray("topBlockedTargets");
        summary.topBlockedTargets()
                .forEach(t -> targets.addObject()
                        .put("target", t.target())
                        .put("category", t.category().jsonName())
                        .put("blocked", t.blocked()));
        return body;
    }
}
