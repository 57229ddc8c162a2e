package io.vigil.bench;

import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.StageConfig;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The aggregator against the Kafka ceiling, in one run on one broker (a process of its own):
 * produces {@code events} event-log records once (a seeded {@link FleetEvents} fleet), then per
 * repetition
 * <ol>
 *   <li>the ceiling: a plain {@code KafkaConsumer} reads every record from the beginning, with
 *       byte arrays and again with Avro decoding;</li>
 *   <li>the aggregator: stage 1 and stage 2 with exactly-once fold the same records, timed from
 *       stage 1 owning its partitions until both stages have committed everything, at each
 *       transaction interval (at 100 ms also with {@code commit-when-drained} on). Before each
 *       run the stages' outputs, changelogs and groups are deleted, so every run does the whole
 *       work.</li>
 *   <li>after those, {@link KafkaStreamsPeer}: the same two stages as a Kafka Streams job with
 *       exactly-once v2, committing every 100 ms, on the same records; then the ratio of the
 *       aggregator's runs at 100 ms to the peer's, repetition by repetition.</li>
 * </ol>
 * Arguments: {@code [events (1000000)] [dataplanes (10000)] [repetitions (3)]}.
 * Run: {@code ./vigil bench --only pipeline}, or {@code ./vigil bench --run io.vigil.bench.PipelineBenchmark 1000000}.
 */
public final class PipelineBenchmark {

    private static final String SECTION_CEILING = "Ceiling";
    private static final String SECTION_AGGREGATOR = "Aggregator (EOS)";
    private static final List<Duration> INTERVALS = List.of(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(1000));
    /** vigil's default transaction interval, the one {@link KafkaStreamsPeer} commits at. */
    private static final Duration PEER_INTERVAL = Duration.ofMillis(100);
    private static final List<String> DERIVED_TOPICS = List.of(Topics.SERVICE_MEMBERSHIP.name(), Topics.DATAPLANE_STATE.name(), Topics.SERVICE_STATE.name(),
            Topics.INBOUND_HEALTH.name(), Topics.PROXY_HEALTH.name(), Topics.SERVICE_HEALTH.name(), Topics.DEAD_LETTER.name());
    static final TopicSettings SETTINGS = new TopicSettings(6, (short) 1, Duration.ofDays(30), Duration.ofHours(24));

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int dataplanes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (ScratchDir dir = ScratchDir.create("vigil-pipeline-bench");
             BrokerProcess broker = BrokerProcess.start(dir.path());
             PipelineHarness harness = new PipelineHarness(broker.settings(), SETTINGS)) {
            produce(harness, events, dataplanes);
            List<Double> raw = new ArrayList<>();
            List<Double> decoded = new ArrayList<>();
            for (int run = 0; run < repetitions; run++) {
                raw.add(readAll(broker.settings(), events, new ByteArrayDeserializer()));
                decoded.add(readAll(broker.settings(), events, new DataplaneEventSerde()));
            }
            BenchResults.row(SECTION_CEILING, "plain KafkaConsumer, bytes (" + events + " records, 6 partitions)", raw, "events/s", "");
            BenchResults.row(SECTION_CEILING, "plain KafkaConsumer, Avro decoded", decoded, "events/s", "");
            double ceiling = BenchResults.median(raw);
            List<Double> atPeerInterval = List.of();
            for (Duration interval : INTERVALS) {
                List<Double> rates = aggregateRuns(harness, config(interval), events, repetitions);
                String metric = "stages 1+2, transaction every " + interval.toMillis() + " ms";
                BenchResults.row(SECTION_AGGREGATOR, metric, rates, "events/s", "");
                BenchResults.row(SECTION_AGGREGATOR, metric + ": ratio to the ceiling (bytes)",
                        rates.stream().map(r -> 100 * r / ceiling).toList(), "%", ">= 50 %");
                if (interval.equals(PEER_INTERVAL)) {
                    atPeerInterval = rates;
                    List<Double> whenDrained = aggregateRuns(harness, config(interval).withCommitWhenDrained(true), events, repetitions);
                    BenchResults.row(SECTION_AGGREGATOR, metric + ", also when drained (commit-when-drained=true)", whenDrained, "events/s", "");
                }
            }
            KafkaStreamsPeer peer = new KafkaStreamsPeer(harness, SETTINGS.partitions(), SETTINGS.replicationFactor(),
                    PEER_INTERVAL);
            List<Double> peerRates = new ArrayList<>();
            for (int run = 0; run < repetitions; run++) {
                peerRates.add(peer.run(run, events));
            }
            BenchResults.row(SECTION_AGGREGATOR, "Kafka Streams peer (exactly_once_v2, commit " + PEER_INTERVAL.toMillis() + " ms), stages 1+2",
                    peerRates, "events/s", "");
            // Repetition by repetition: vigil's n-th run at the peer's interval against the peer's n-th.
            List<Double> ratios = new ArrayList<>();
            for (int run = 0; run < repetitions; run++) {
                ratios.add(atPeerInterval.get(run) / peerRates.get(run));
            }
            BenchResults.row(SECTION_AGGREGATOR, "vigil / Kafka Streams peer, same events (both every " + PEER_INTERVAL.toMillis() + " ms)",
                    ratios, "x", "");
        }
    }

    private static void produce(PipelineHarness harness, int events, int dataplanes) {
        FleetEvents fleet = new FleetEvents(dataplanes, 4, 7);
        long start = System.nanoTime();
        List<DataplaneEvent> bootstrap = fleet.bootstrap();
        harness.send(bootstrap);
        int left = events - bootstrap.size();
        while (left > 0) {
            int chunk = Math.min(left, 100_000);
            harness.send(fleet.steady(chunk));
            left -= chunk;
        }
        System.out.printf("produced %,d events over %,d dataplanes in %.1f s%n", events, dataplanes, (System.nanoTime() - start) / 1e9);
    }

    /** Reads every event-log record from the beginning; events per second. */
    private static <V> double readAll(KafkaSettings kafka, int events, Deserializer<V> values) {
        // The ceiling is a plain reader: no read_committed, only what the broker serves.
        ClientOptions reader = ClientOptions.named("bench-ceiling").tune(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        try (Consumer<byte[], V> consumer = new KafkaClients(kafka)
                .consumer(reader, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DATAPLANE_EVENTS.name()).stream()
                    .map(info -> new TopicPartition(Topics.DATAPLANE_EVENTS.name(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long read = 0;
            long checksum = 0;
            while (read < events) {
                for (ConsumerRecord<byte[], V> record : consumer.poll(Duration.ofMillis(100))) {
                    checksum += record.value() == null ? 0 : 1;
                    read++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checksum != read) {
                throw new IllegalStateException("read " + read + " records but only " + checksum + " values");
            }
            return read / seconds;
        }
    }

    /** The stages' defaults but for the transaction interval. */
    private static StageConfig config(Duration interval) {
        return new StageConfig("bench", interval, 5_000, Duration.ofSeconds(10), Duration.ofSeconds(10), StageConfig.DEFAULT_MAX_RECORD_BYTES);
    }

    /** {@code repetitions} runs of {@link #aggregate}, each after the stages' outputs and groups are deleted. */
    private static List<Double> aggregateRuns(PipelineHarness harness, StageConfig config, int events, int repetitions) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < repetitions; run++) {
            resetDerived(harness);
            rates.add(aggregate(harness, config, events));
        }
        return rates;
    }

    /** Folds the whole log through both stages; events per second from stage 1 owning its partitions until both caught up. */
    private static double aggregate(PipelineHarness harness, StageConfig config, int events) throws Exception {
        Duration interval = config.commitInterval();
        try (StageRunner stage1 = harness.stage1(config); StageRunner stage2 = harness.stage2(config)) {
            while (!stage1.ready()) {
                Thread.sleep(1);
            }
            long start = System.nanoTime();
            while (!harness.caughtUp()) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("  transaction every %d ms%s: %,d events in %.2f s%n", interval.toMillis(),
                    config.commitWhenDrained() ? " (also when drained)" : "", events, seconds);
            return events / seconds;
        }
    }

    /** Deletes what the stages made (and their groups), then creates the topics afresh. */
    private static void resetDerived(PipelineHarness harness) throws ExecutionException, InterruptedException {
        Admin admin = harness.admin();
        Set<String> groups = Set.of("vigil-aggregator-dataplanes", "vigil-aggregator-services");
        Set<String> existing = Set.copyOf(admin.listConsumerGroups().all().get().stream().map(g -> g.groupId()).toList());
        List<String> toDelete = groups.stream().filter(existing::contains).toList();
        if (!toDelete.isEmpty()) {
            admin.deleteConsumerGroups(toDelete).all().get();
        }
        admin.deleteTopics(DERIVED_TOPICS).all().get();
        while (admin.listTopics().names().get().stream().anyMatch(DERIVED_TOPICS::contains)) {
            Thread.sleep(100);
        }
        new TopicProvisioner(admin, SETTINGS, Duration.ofSeconds(60)).provision();
    }
}
