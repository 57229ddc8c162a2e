package io.vigil.bench;

import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.runtime.DataplaneStage;
import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.aggregator.runtime.Outputs;
import io.vigil.aggregator.runtime.ServiceStage;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through both stages' logic on one thread, without Kafka: what a stage does
 * per transaction of {@value #BATCH} event-log records (decode, fold, encode every output with its
 * CloudEvents headers, the changelog at the batch's end), then stage 2 over the membership updates
 * that stage 1 wrote. The pipeline benchmark's fleet (10,000 dataplanes x 4 inbounds, 6
 * partitions), so it isolates the stages' own CPU from the broker and the clients, which share
 * this machine's cores in the pipeline figures.
 * Run: {@code ./vigil bench --run org.openjdk.jmh.Main StageLogicBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class StageLogicBenchmark {

    static final int BATCH = 5_000;
    private static final int PARTITIONS = 6;

    private final DataplaneStage stage1 = new DataplaneStage(ProbeDefaults.KUMA);
    private final ServiceStage stage2 = new ServiceStage();
    private final Sink sink = new Sink();
    private List<ConsumerRecord<byte[], byte[]>> steady;
    private int cursor;

    @Setup(Level.Trial)
    public void loadFleet() {
        FleetEvents fleet = new FleetEvents(10_000, 4, 7);
        for (ConsumerRecord<byte[], byte[]> record : records(fleet.bootstrap(), 0)) {
            stage1.process(record, sink);
        }
        stage1.endBatch(sink);
        stage2();
        steady = records(fleet.steady(50 * BATCH), fleet.bootstrap().size());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bothStages() {
        for (int i = 0; i < BATCH; i++) {
            stage1.process(steady.get(cursor), sink);
            cursor = cursor + 1 == steady.size() ? 0 : cursor + 1;
        }
        stage1.endBatch(sink);
        stage2();
        return sink.bytes;
    }

    /** Stage 2 folds the membership updates stage 1 wrote, as one transaction. */
    private void stage2() {
        List<ConsumerRecord<byte[], byte[]>> updates = new ArrayList<>(sink.memberships);
        sink.memberships.clear();
        for (ConsumerRecord<byte[], byte[]> update : updates) {
            stage2.process(update, sink);
        }
        stage2.endBatch(sink);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(List<DataplaneEvent> events, long firstOffset) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        long offset = firstOffset;
        for (DataplaneEvent event : events) {
            byte[] key = KeyFormat.of(event.getMesh(), event.getDataplane()).getBytes(StandardCharsets.UTF_8);
            records.add(new ConsumerRecord<>(Topics.DATAPLANE_EVENTS.name(), partition(key), offset++, key,
                    Topics.DATAPLANE_EVENTS.serialize(event)));
        }
        return records;
    }

    private static int partition(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
    }

    /** Counts what the stages write, as the producer would take it; keeps stage 1's membership updates for stage 2. */
    private static final class Sink implements Outputs {

        long bytes;
        final List<ConsumerRecord<byte[], byte[]>> memberships = new ArrayList<>();

        @Override
        public void send(Topic<?> topic, String key, byte[] value) {
            byte[] keyBytes = count(key, value);
            if (topic == Topics.SERVICE_MEMBERSHIP) {
                memberships.add(new ConsumerRecord<>(topic.name(), partition(keyBytes), memberships.size(), keyBytes, value));
            }
        }

        @Override
        public void send(Topic<?> topic, int partition, String key, byte[] value) {
            count(key, value);
        }

        @Override
        public void send(Topic<?> topic, String key, String partitionKey, byte[] value) {
            count(key, value);
            partition(partitionKey.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void send(Topic<?> topic, String key, byte[] value, Headers headers) {
            count(key, value);
            for (Header header : headers) {
                bytes += header.value().length;
            }
        }

        private byte[] count(String key, byte[] value) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            bytes += keyBytes.length + (value == null ? 0 : value.length);
            return keyBytes;
        }
    }
}
