package io.vigil.bench;

import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthModel;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.avro.DataplaneEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Heap the aggregator's state takes: folds {@code dataplanes} dataplanes x 4 inbounds (a
 * {@link FleetEvents} fleet, then 10 steady events per dataplane so every probed inbound has
 * results) into stage 1's {@link Dataplanes} and, separately, into both stages
 * ({@link HealthModel}), and measures used heap after full GCs with and without the state.
 * Arguments: {@code [dataplanes (100000), or fleets one after the other (100000,1000000)] [repetitions of the first fleet (3)]};
 * a later fleet runs once.
 * Run: {@code ./vigil bench --only heap}, or {@code ./vigil bench --run io.vigil.bench.StateHeapBenchmark 100000,1000000}.
 */
public final class StateHeapBenchmark {

    private static final int INBOUNDS = 4;
    private static final String SECTION = "Scale (heap)";

    private StateHeapBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        String fleets = args.length > 0 ? args[0] : "100000";
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean first = true;
        for (String dataplanes : fleets.split(",")) {
            // A larger fleet once: a run of a million dataplanes takes minutes, and the figure hardly varies between runs.
            measure(Integer.parseInt(dataplanes), first ? repetitions : 1, first);
            first = false;
        }
    }

    /** The rows of one fleet; the first fleet's rows name it once, as the table always has, a later fleet's each name theirs. */
    private static void measure(int dataplanes, int repetitions, boolean first) throws InterruptedException {
        List<Double> stage1PerInbound = new ArrayList<>();
        List<Double> bothPerInbound = new ArrayList<>();
        List<Double> bothPerDataplane = new ArrayList<>();
        for (int run = 0; run < repetitions; run++) {
            long before = usedAfterGc();
            Dataplanes stage1 = new Dataplanes();
            fold(dataplanes, run, stage1::apply);
            long withStage1 = usedAfterGc();
            stage1PerInbound.add((withStage1 - before) / (double) (dataplanes * INBOUNDS));
            keep(stage1);
            stage1 = null;
            before = usedAfterGc();
            HealthModel model = new HealthModel();
            fold(dataplanes, run, model::apply);
            long withBoth = usedAfterGc();
            bothPerInbound.add((withBoth - before) / (double) (dataplanes * INBOUNDS));
            bothPerDataplane.add((withBoth - before) / (double) dataplanes);
            keep(model);
        }
        String fleet = dataplanes + " dataplanes x " + INBOUNDS + " inbounds";
        String again = first ? "" : " (" + fleet + ")";
        BenchResults.row(SECTION, "stage 1 state per inbound (" + fleet + ")", stage1PerInbound, "bytes", "<= 1024 bytes");
        BenchResults.row(SECTION, "stages 1+2 state per inbound" + again, bothPerInbound, "bytes", "<= 1024 bytes");
        BenchResults.row(SECTION, "stages 1+2 state per dataplane" + again, bothPerDataplane, "bytes", "");
    }

    /**
     * Hands the fleet's events to {@code fold} as they are generated (the same ones for the same
     * seed), so that no event is alive when the heap is measured: strings the state shares with
     * events it was folded from count as state, as they do in a stage that restored or read them.
     */
    private static void fold(int dataplanes, long seed, Consumer<Event> fold) {
        FleetEvents fleet = new FleetEvents(dataplanes, INBOUNDS, seed);
        EventRecords records = new EventRecords(ProbeDefaults.KUMA);
        for (DataplaneEvent record : fleet.bootstrap()) {
            fold.accept(records.toEvent(record, null));
        }
        for (int n = 0; n < 10 * dataplanes; n++) {
            fold.accept(records.toEvent(fleet.next(), null));
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Keeps the state reachable until after the measurement. */
    private static void keep(Object state) {
        if (state.hashCode() == System.nanoTime()) {
            System.out.println(state);
        }
    }
}
