package io.vigil.bench;

import java.util.List;

/** Nearest-rank percentiles of sorted samples. */
final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}th percentile of {@code sorted} (ascending), or NaN for none. */
    static double of(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
