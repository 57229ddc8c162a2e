package io.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rows a benchmark measured: printed, and appended as tab-separated lines to the file named
 * by the system property {@code bench.out} (when set), which {@code ./vigil bench} turns into
 * BENCHMARKS.md. A row is a median of repetitions with the repetitions beside it.
 */
public final class BenchResults {

    private BenchResults() {
    }

    /** The median of the samples (the mean of the middle two for an even count). */
    public static double median(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * @param section  e.g. "Aggregator throughput"
     * @param metric   what was measured, with its conditions
     * @param samples  one value per repetition
     * @param unit     e.g. "events/s"
     * @param target   the goal to compare with, or "" for none
     */
    public static void row(String section, String metric, List<Double> samples, String unit, String target) {
        String runs = samples.stream().map(BenchResults::format).collect(Collectors.joining(", "));
        String line = String.join("\t", section, metric, format(median(samples)), unit, runs, target);
        System.out.printf("%-24s %-60s median %s %s (runs: %s)%s%n", section, metric, format(median(samples)), unit, runs,
                target.isEmpty() ? "" : "  target " + target);
        String out = System.getProperty("bench.out");
        if (out != null) {
            try {
                Files.writeString(Path.of(out), line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException("cannot append to " + out, e);
            }
        }
    }

    static String format(double value) {
        if (value >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
