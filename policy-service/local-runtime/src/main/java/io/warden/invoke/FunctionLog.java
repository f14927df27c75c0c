package io.warden.invoke;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The function's log as CloudWatch Logs would hold it: the lines the function JVM writes to stdout and stderr
 * (Warden's violation lines among them) and the platform's START, END and REPORT lines, in the order they arrive.
 * Each line is also handed to a sink as it arrives, so a terminal shows the log live.
 */
public final class FunctionLog {

    /** Lines kept for the caller; past this the log still streams to the sink but is no longer kept. */
    static final int MAX_KEPT_LINES = 100_000;

    private final Consumer<String> sink;
    private final List<String> lines = new ArrayList<>();
    private int dropped;

    FunctionLog(Consumer<String> sink) {
        this.sink = sink;
    }

    synchronized void add(String line) {
        if (lines.size() < MAX_KEPT_LINES) {
            lines.add(line);
        } else {
            dropped++;
        }
        sink.accept(line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** How many lines arrived after {@link #MAX_KEPT_LINES} and were not kept. */
    public synchronized int dropped() {
        return dropped;
    }
}
