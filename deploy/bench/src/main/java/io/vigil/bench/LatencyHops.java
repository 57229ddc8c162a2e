package io.vigil.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Splits the tracked flips' latency into hops, from the times the benchmark took
 * ({@link FlipTimes}) and those Kafka holds ({@link FlipRecords}), each a difference of two
 * epoch-millisecond instants on this machine's clock:
 * <ul>
 * <li>ingest: sent to the event-log record's timestamp (ingest's producer stamps it as it sends);</li>
 * <li>ingest: sent to the {@code 202} (Kafka acknowledged the record);</li>
 * <li>stage 1: event-log record to the inbound change's timestamp (stage 1's producer, as it folds);</li>
 * <li>stage 1 commit: that timestamp to a {@code read_committed} consumer being handed the change;</li>
 * <li>projections + REST: handed to a {@code read_committed} consumer to the view showing it.</li>
 * </ul>
 * The first, third, fourth and fifth add up to sent-to-view. A flip counts once every instant is
 * known for it.
 */
final class LatencyHops {

    private record Hop(String name, ToLongFunction<Sample> millis) {
    }

    private record Sample(FlipTimes flip, long logged, long changed, long seenCommitted) {
    }

    private static final List<Hop> HOPS = List.of(
            new Hop("ingest: sent to event-log record", s -> s.logged - s.flip.sent()),
            new Hop("ingest: sent to 202", s -> s.flip.acknowledged() - s.flip.sent()),
            new Hop("stage 1: event-log record to change record", s -> s.changed - s.logged),
            new Hop("stage 1 commit: change record to read_committed", s -> s.seenCommitted - s.changed),
            new Hop("projections + REST: read_committed to view", s -> s.flip.viewed() - s.seenCommitted));

    private LatencyHops() {
    }

    /**
     * Waits (up to 10 s) until the records of every flip are in, then writes a p50 and a p99 row
     * per hop, each named {@code "<hop>, p50 <load>"}.
     */
    static void report(String section, String load, List<FlipTimes> flips, FlipRecords records) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Sample> samples = samples(flips, records);
        while (samples.size() < flips.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            samples = samples(flips, records);
        }
        System.out.printf("%s: %d of %d flips with every hop's records%n", load, samples.size(), flips.size());
        for (Hop hop : HOPS) {
            List<Double> millis = samples.stream().map(s -> (double) hop.millis.applyAsLong(s)).sorted().toList();
            BenchResults.row(section, hop.name + ", p50 " + load, List.of(Percentiles.of(millis, 50)), "ms", "");
            BenchResults.row(section, hop.name + ", p99 " + load, List.of(Percentiles.of(millis, 99)), "ms", "");
        }
    }

    private static List<Sample> samples(List<FlipTimes> flips, FlipRecords records) {
        List<Sample> samples = new ArrayList<>(flips.size());
        for (FlipTimes flip : flips) {
            Long logged = records.logged(flip.id());
            Long changed = records.changed(flip.id());
            Long seen = records.seenCommitted(flip.id());
            if (logged != null && changed != null && seen != null) {
                samples.add(new Sample(flip, logged, changed, seen));
            }
        }
        return samples;
    }
}
