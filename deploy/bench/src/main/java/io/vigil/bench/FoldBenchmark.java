package io.vigil.bench;

import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthModel;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.runtime.FleetEvents;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Events per second through the rules on one thread, on a loaded fleet (100k dataplanes x 4
 * inbounds by default) with the mix of {@link FleetEvents}. {@code stage1} is the dataplane fold
 * alone; {@code bothStages} adds the service fold with one event per batch, as {@code vigil replay} runs.
 * Run: {@code ./vigil bench --only jmh}, or with JMH's own options: {@code ./vigil bench --run org.openjdk.jmh.Main FoldBenchmark -prof stack}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class FoldBenchmark {

    static final int BATCH = 100_000;

    @Param("100000")
    int dataplanes;

    @Param("4")
    int inbounds;

    private List<Event> stream;
    private Dataplanes stage1;
    private HealthModel model;
    private int cursor;

    @Setup(Level.Trial)
    public void loadFleet() {
        FleetEvents fleet = new FleetEvents(dataplanes, inbounds, 42);
        EventRecords records = new EventRecords(ProbeDefaults.KUMA);
        stage1 = new Dataplanes();
        model = new HealthModel();
        for (var record : fleet.bootstrap()) {
            Event e = records.toEvent(record, null);
            stage1.apply(e);
            model.apply(e);
        }
        stream = fleet.steady(10 * BATCH).stream().map(r -> records.toEvent(r, null)).toList();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void stage1(Blackhole sink) {
        for (int i = 0; i < BATCH; i++) {
            sink.consume(stage1.apply(next()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bothStages(Blackhole sink) {
        for (int i = 0; i < BATCH; i++) {
            sink.consume(model.apply(next()));
        }
    }

    private Event next() {
        Event e = stream.get(cursor);
        cursor = cursor + 1 == stream.size() ? 0 : cursor + 1;
        return e;
    }
}
