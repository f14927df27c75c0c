package io.warden.invoke;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The lines Lambda itself adds to a function's log around each invocation: START, END and REPORT in the Text format,
 * {@code platform.start} and {@code platform.report} records in the JSON format.
 */
final class PlatformLines {

    static final String VERSION = "$LATEST";

    private final LogFormat format;

    PlatformLines(LogFormat format) {
        this.format = format;
    }

    /** The figures of one REPORT line; {@code initDuration} is null except on a cold start. */
    record Report(
            String requestId,
            InvocationResult.Status status,
            String errorType,
            Duration duration,
            int memorySizeMb,
            Long maxMemoryUsedMb,
            Duration initDuration) {}

    String start(String requestId) {
        if (format == LogFormat.TEXT) {
            return "START RequestId: " + requestId + " Version: " + VERSION;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("requestId", requestId);
        record.put("version", VERSION);
        return json("platform.start", record);
    }

    /** The Text format's END line; the JSON format has none. */
    String end(String requestId) {
        return format == LogFormat.TEXT ? "END RequestId: " + requestId : null;
    }

    String report(Report report) {
        double durationMs = millis(report.duration());
        long billedMs = (long) Math.ceil(durationMs);
        String status = switch (report.status()) {
            case SUCCESS, ERROR -> "success";
            case TIMEOUT -> "timeout";
            case INIT_ERROR, RUNTIME_EXIT -> "error";
        };
        if (format == LogFormat.TEXT) {
            StringBuilder line = new StringBuilder("REPORT RequestId: ")
                    .append(report.requestId())
                    .append("\tDuration: ")
                    .append(twoDecimals(durationMs))
                    .append(" ms")
                    .append("\tBilled Duration: ")
                    .append(billedMs)
                    .append(" ms")
                    .append("\tMemory Size: ")
                    .append(report.memorySizeMb())
                    .append(" MB");
            if (report.maxMemoryUsedMb() != null) {
                line.append("\tMax Memory Used: ")
                        .append(report.maxMemoryUsedMb())
                        .append(" MB");
            }
            if (report.initDuration() != null) {
                line.append("\tInit Duration: ")
                        .append(twoDecimals(millis(report.initDuration())))
                        .append(" ms");
            }
            if (!status.equals("success")) {
                line.append("\tStatus: ").append(status);
                if (report.errorType() != null) {
                    line.append("\tError Type: ").append(report.errorType());
                }
            }
            return line.toString();
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("durationMs", round(durationMs));
        metrics.put("billedDurationMs", billedMs);
        metrics.put("memorySizeMB", report.memorySizeMb());
        if (report.maxMemoryUsedMb() != null) {
            metrics.put("maxMemoryUsedMB", report.maxMemoryUsedMb());
        }
        if (report.initDuration() != null) {
            metrics.put("initDurationMs", round(millis(report.initDuration())));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("requestId", report.requestId());
        record.put("metrics", metrics);
        record.put("status", status);
        if (!status.equals("success") && report.errorType() != null) {
            record.put("errorType", report.errorType());
        }
        return json("platform.report", record);
    }

    private static String json(String type, Map<String, Object> record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("type", type);
        line.put("record", record);
        return Json.text(line);
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }

    private static String twoDecimals(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }
}
