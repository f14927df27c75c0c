package io.warden.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians: the machine is noisy, so means would report its noise. */
final class Statistics {

    private Statistics() {}

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
