package io.vigil.aggregator.bench;

import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long aggregator stage 1 takes to restore a loaded state from its changelog: loads
 * {@code DATAPLANES} dataplanes x 4 inbounds through both stages on an embedded broker, then
 * starts a new stage-1 instance three times and times each until it is ready (partitions
 * assigned and state restored). Prints each time and the median.
 * Run: {@code ./mvnw -q -pl aggregator -am -Pjmh test-compile exec:exec -Dbench.main=io.vigil.aggregator.bench.RestoreBenchmark -Djmh.args=100000}.
 */
public final class RestoreBenchmark {

    private RestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int dataplanes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("vigil-restore-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir).build().start();
             PipelineHarness harness = new PipelineHarness(broker.bootstrapServers())) {
            FleetEvents fleet = new FleetEvents(dataplanes, 4, 1);
            long loadStart = System.nanoTime();
            try (StageRunner stage1 = harness.stage1("bench"); StageRunner stage2 = harness.stage2("bench")) {
                harness.send(fleet.bootstrap());
                while (!harness.caughtUp()) {
                    Thread.sleep(500);
                }
            }
            System.out.printf("loaded %d dataplanes x 4 inbounds through both stages in %.1f s%n",
                    dataplanes, (System.nanoTime() - loadStart) / 1e9);
            List<Double> seconds = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                try (StageRunner stage1 = harness.stage1("bench")) {
                    while (!stage1.ready()) {
                        Thread.sleep(10);
                    }
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
                System.out.printf("run %d: stage 1 joined and restored in %.2f s%n", run + 1, seconds.get(run));
            }
            seconds.sort(null);
            System.out.printf("median: %.2f s (includes joining the group)%n", seconds.get(1));
        }
    }
}
