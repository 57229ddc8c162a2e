package io.vigil.bench;

import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.runtime.DataplaneStage;
import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.ServiceStage;
import io.vigil.avro.DataplaneEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery after SIGKILL with a large state: loads {@code dataplanes} dataplanes x 4 inbounds
 * through both stages running in a {@link StagesProcess}, then, per repetition, SIGKILLs it
 * and times a new process from its start until both stages own their partitions with the state
 * restored from the changelogs. The time includes the JVM's start and the group giving the
 * partitions back (at once: the stages are static members, and the new process has the killed
 * one's instance id), as an operator sees it.
 * With {@code bulk}, the state is built by {@link BulkStageLoad} (the stages' own fold, without
 * their transactions) instead of by the running stages: a million dataplanes through the running
 * stages take many minutes on a small machine; the first start then restores it, before the kills.
 * Arguments: {@code [dataplanes (100000)] [repetitions (3)] [bulk]}.
 * Run: {@code ./vigil bench --only restore}, or {@code ./vigil bench --run io.vigil.bench.RestoreAfterKillBenchmark 100000}.
 */
public final class RestoreAfterKillBenchmark {

    private RestoreAfterKillBenchmark() {
    }

    /**
     * {@code repetitions} times: SIGKILLs the stages and times a new process until both are ready,
     * their state restored; closes the last one. The seconds of each repetition.
     */
    static List<Double> killAndRestore(StagesProcess stages, String bootstrapServers, Path log, int repetitions) throws Exception {
        List<Double> seconds = new ArrayList<>();
        StagesProcess aggregator = stages;
        for (int run = 0; run < repetitions; run++) {
            aggregator.kill();
            long start = System.nanoTime();
            aggregator = StagesProcess.startAndAwaitReady(bootstrapServers, log, aggregator.heap());
            seconds.add((System.nanoTime() - start) / 1e9);
            System.out.printf("  run %d: ready %.2f s after SIGKILL%n", run + 1, seconds.get(run));
        }
        aggregator.close();
        return seconds;
    }

    /** The running stages fold the fleet; returns them once they have committed all of it. */
    private static StagesProcess loadThroughStages(PipelineHarness harness, List<DataplaneEvent> fleet, String bootstrapServers, Path log,
                                                   String heap) throws Exception {
        StagesProcess aggregator = StagesProcess.startAndAwaitReady(bootstrapServers, log, heap);
        harness.send(fleet);
        while (!harness.caughtUp()) {
            Thread.sleep(500);
        }
        return aggregator;
    }

    /** {@link BulkStageLoad} folds the fleet; then the stages start, restoring what it built. */
    private static StagesProcess loadInBulk(PipelineHarness harness, List<DataplaneEvent> fleet, String bootstrapServers, Path log,
                                            String heap) throws Exception {
        harness.send(fleet);
        BulkStageLoad.run(harness.clients(), harness.admin(), new DataplaneStage(ProbeDefaults.KUMA));
        BulkStageLoad.run(harness.clients(), harness.admin(), new ServiceStage());
        return StagesProcess.startAndAwaitReady(bootstrapServers, log, heap);
    }

    public static void main(String[] args) throws Exception {
        int dataplanes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean bulk = args.length > 2 && args[2].equals("bulk");
        ScratchDir dir = ScratchDir.create("vigil-restore-bench");
        Path log = dir.resolve("aggregator.log");
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("kafka"));
             PipelineHarness harness = new PipelineHarness(broker.settings(), PipelineBenchmark.SETTINGS)) {
            long loadStart = System.nanoTime();
            List<DataplaneEvent> fleet = new FleetEvents(dataplanes, 4, 3).bootstrap();
            String heap = StagesProcess.heapFor(dataplanes);
            StagesProcess aggregator = bulk ? loadInBulk(harness, fleet, broker.bootstrapServers(), log, heap)
                    : loadThroughStages(harness, fleet, broker.bootstrapServers(), log, heap);
            System.out.printf("loaded %,d dataplanes x 4 inbounds through both stages%s in %.1f s%n", dataplanes, bulk ? " in bulk" : "",
                    (System.nanoTime() - loadStart) / 1e9);
            List<Double> seconds = killAndRestore(aggregator, broker.bootstrapServers(), log, repetitions);
            BenchResults.row("Scale (recovery)", "SIGKILL to both stages restored, " + dataplanes + " dataplanes x 4 inbounds"
                    + (bulk ? ", state built in bulk" : ""), seconds, "s", "< 10 s");
        }
        dir.close();
    }
}
