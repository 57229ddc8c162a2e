package io.vigil.bench;

import io.vigil.aggregator.core.DataplaneChanges;
import io.vigil.aggregator.core.DataplaneFold;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.core.ServiceSummary;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.avro.MemberCheckpoint;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceViewCheckpoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A Kafka Streams peer of vigil's aggregator: the same two stages as a Kafka Streams 4.1 job, run
 * on the event log {@link PipelineBenchmark} pre-produced, so its throughput is a yardstick for the
 * aggregator's own on the same events in the same run.
 *
 * <p>Input: {@code vigil.dataplane-events} ({@link Topics#DATAPLANE_EVENTS}, Avro
 * {@code DataplaneEvent}, key {@code mesh/dataplane}), read from the beginning by a fresh
 * application id per run. Outputs, per run ({@code <run>} is the application id), all with vigil's
 * own Avro records and keys:
 * <ul>
 *   <li>{@code <run>.inbound-health}, {@code <run>.proxy-health}: stage 1's inbound and proxy
 *       changes (a tombstone change followed by a Kafka tombstone, as vigil does);</li>
 *   <li>{@code <run>.service-membership}: stage 1's membership updates, keyed {@code mesh/service},
 *       the repartition topic stage 2 reads;</li>
 *   <li>{@code <run>.service-health}: stage 2's service changes;</li>
 *   <li>{@code <run>-dataplanes-changelog}, {@code <run>-services-changelog}: the stores'
 *       changelogs, made by Kafka Streams, holding vigil's checkpoint records.</li>
 * </ul>
 * A run's topics and state directory are deleted after it.
 *
 * <p>Why it is built this way:
 * <ul>
 *   <li>The Processor API with one key-value store per stage, as a Kafka Streams user would write
 *       this job (and as {@code ../shared/peer-kstreams} does): stage 1 keyed by dataplane, stage 2
 *       by service, joined by a topic of membership updates.</li>
 *   <li>The fold is vigil's own ({@link DataplaneFold}, {@link ServiceFold}, the Avro mappings of
 *       {@code io.vigil.aggregator.records}): both engines decode, fold and encode exactly alike,
 *       so the ratio compares the engines, not two ports of the rules.</li>
 *   <li>{@code exactly_once_v2} with {@code commit.interval.ms} the transaction interval of the
 *       vigil row it is compared with (100 ms, vigil's default): the same guarantee at the same
 *       cadence.</li>
 *   <li>Two stream threads, since vigil runs each stage on a thread of its own.</li>
 *   <li>In-memory stores, logged and cached (Kafka Streams' defaults otherwise): vigil keeps its
 *       state on the heap and checkpoints each changed key once per transaction to a changelog;
 *       a cached, logged store writes each dirty key once per commit too. RocksDB would add work
 *       vigil does not do.</li>
 * </ul>
 * What still differs, and favours vigil: a Kafka Streams store holds bytes, so the peer decodes a
 * dataplane's or service's checkpoint on every read and encodes it on every write, where vigil
 * keeps objects and encodes once per transaction; and stage 2 emits one service change per
 * membership update (a Kafka Streams processor has no end of batch), where vigil coalesces a
 * service's updates per transaction. What favours the peer: it does not publish
 * {@code vigil.dataplane-specs} and has no dead-letter handling (the benchmark's events are all
 * valid).
 */
final class KafkaStreamsPeer {

    private static final String DATAPLANE_STORE = "dataplanes";
    private static final String SERVICE_STORE = "services";

    private final PipelineHarness harness;
    private final KafkaClients clients;
    private final Admin admin;
    private final int partitions;
    private final short replication;
    private final Duration commitInterval;

    /**
     * For the broker of {@code harness}, with output topics like the event log ({@code partitions},
     * {@code replication}), committing every {@code commitInterval}.
     */
    KafkaStreamsPeer(PipelineHarness harness, int partitions, short replication, Duration commitInterval) {
        this.harness = harness;
        this.clients = harness.clients();
        this.admin = harness.admin();
        this.partitions = partitions;
        this.replication = replication;
        this.commitInterval = commitInterval;
    }

    /** The topic names of one run. */
    record Run(String id) {
        String inbound() {
            return id + ".inbound-health";
        }

        String proxy() {
            return id + ".proxy-health";
        }

        String membership() {
            return id + ".service-membership";
        }

        String service() {
            return id + ".service-health";
        }

        List<String> outputs() {
            return List.of(inbound(), proxy(), membership(), service());
        }
    }

    /**
     * Runs the job on the whole event log once ({@code repetition} names the run); events per
     * second from stage 1's first record until the group has committed every event and every
     * membership update (so every output is committed too).
     */
    double run(int repetition, int events) throws Exception {
        Run run = new Run("vigil-bench-kstreams-peer-" + repetition + "-" + System.currentTimeMillis());
        admin.createTopics(run.outputs().stream().map(name -> new NewTopic(name, partitions, replication)).toList()).all().get();
        ScratchDir stateDir = ScratchDir.create("vigil-bench-kstreams");
        AtomicLong firstRecord = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(topology(run, firstRecord), config(run, stateDir.path()));
        streams.setUncaughtExceptionHandler(e -> {
            failure.set(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            // Done when the group has committed all it can read, as vigil's stages are judged.
            while (!harness.committedToEnd(run.id(), Topics.DATAPLANE_EVENTS.name()) || !harness.committedToEnd(run.id(), run.membership())) {
                if (failure.get() != null) {
                    throw new IllegalStateException("the Kafka Streams peer failed", failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka Streams peer did not finish in 30 minutes: " + streams.state());
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - firstRecord.get()) / 1e9;
            System.out.printf("  Kafka Streams peer: %,d events in %.2f s%n", events, seconds);
            return events / seconds;
        } finally {
            streams.close(Duration.ofMinutes(1));
            cleanUp(run, stateDir);
        }
    }

    private Properties config(Run run, Path stateDir) {
        Properties config = new Properties();
        // The operator's client properties (security, tuning); Kafka Streams takes the same
        // producer./consumer./admin. prefixes as vigil's settings.
        config.putAll(clients.settings().properties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, run.id());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return config;
    }

    static Topology topology(Run run, AtomicLong firstRecord) {
        ByteArraySerializer bytes = new ByteArraySerializer();
        Topology topology = new Topology();
        topology.addSource("events", new StringDeserializer(), new ByteArrayDeserializer(), Topics.DATAPLANE_EVENTS.name());
        topology.addProcessor("stage-1", () -> new DataplaneProcessor(firstRecord), "events");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DATAPLANE_STORE), Serdes.String(), dataplaneSerde())
                .withCachingEnabled(), "stage-1");
        topology.addSink("inbound-health", run.inbound(), new StringSerializer(), bytes, "stage-1");
        topology.addSink("proxy-health", run.proxy(), new StringSerializer(), bytes, "stage-1");
        topology.addSink("service-membership", run.membership(), new StringSerializer(), bytes, "stage-1");

        topology.addSource("memberships", new StringDeserializer(), new ByteArrayDeserializer(), run.membership());
        topology.addProcessor("stage-2", ServiceProcessor::new, "memberships");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SERVICE_STORE), Serdes.String(), serviceSerde())
                .withCachingEnabled(), "stage-2");
        topology.addSink("service-health", run.service(), new StringSerializer(), bytes, "stage-2");
        return topology;
    }

    /** A dataplane's state as vigil's changelog stores it: its checkpoint record. */
    private static Serde<DataplaneState> dataplaneSerde() {
        return Serdes.serdeFrom(
                (topic, state) -> state == null ? null : Topics.DATAPLANE_STATE.serialize(CheckpointRecords.dataplane(state)),
                (topic, value) -> value == null ? null : CheckpointRecords.dataplane(Topics.DATAPLANE_STATE.deserialize(value)));
    }

    /**
     * A service's state as one record, every member in it, as vigil's changelog kept it before
     * its parts: a Kafka Streams store holds one value per key.
     */
    private static Serde<ServiceCheckpoint> serviceSerde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : Topics.SERVICE_STATE.serialize(state),
                (topic, value) -> value == null ? null : Topics.SERVICE_STATE.deserialize(value));
    }

    private static ServiceCheckpoint wholeService(ServiceState state) {
        Map<String, MemberCheckpoint> members = new HashMap<>();
        state.members().forEach((dataplane, member) -> members.put(dataplane,
                new MemberCheckpoint(io.vigil.avro.HealthStatus.valueOf(member.status().name()), ChangeRecords.endpoints(member.endpoints()),
                        member.since())));
        ServiceSummary summary = state.summary();
        ServiceViewCheckpoint emitted = summary == null ? null : new ServiceViewCheckpoint(
                io.vigil.avro.HealthStatus.valueOf(summary.status().name()), summary.dataplanes().total(), summary.dataplanes().online(),
                summary.dataplanes().offline(), summary.dataplanes().partiallyDegraded(), List.of(), summary.since());
        return new ServiceCheckpoint(state.key().mesh(), state.key().name(), members, emitted, state.version());
    }

    /** Stage 1: an event folded into its dataplane's state with {@link DataplaneFold}, as vigil's {@code DataplaneStage} does. */
    private static final class DataplaneProcessor implements Processor<String, byte[], String, byte[]> {

        private final AtomicLong firstRecord;
        private final EventRecords events = new EventRecords(ProbeDefaults.KUMA);
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, DataplaneState> store;

        DataplaneProcessor(AtomicLong firstRecord) {
            this.firstRecord = firstRecord;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(DATAPLANE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            // The clock starts here, as vigil's starts once stage 1 owns its partitions: group
            // join and internal topic creation are not part of the throughput.
            firstRecord.compareAndSet(0, System.nanoTime());
            RecordMetadata at = context.recordMetadata().orElseThrow();
            Event event = events.toEvent(Topics.DATAPLANE_EVENTS.deserialize(record.value()),
                    new Source(at.topic(), at.partition(), at.offset()));
            DataplaneState before = store.get(record.key());
            DataplaneChanges changes = DataplaneFold.apply(before, event);
            for (InboundChange inbound : changes.inbound()) {
                send(record, "inbound-health", inbound.entityKey(), Topics.INBOUND_HEALTH.serialize(ChangeRecords.inbound(inbound)));
                if (inbound.isTombstone()) {
                    send(record, "inbound-health", inbound.entityKey(), null);
                }
            }
            if (changes.proxy() != null) {
                String key = changes.proxy().entityKey();
                send(record, "proxy-health", key, Topics.PROXY_HEALTH.serialize(ChangeRecords.proxy(changes.proxy())));
                if (changes.proxy().isTombstone()) {
                    send(record, "proxy-health", key, null);
                }
            }
            for (MembershipChange membership : changes.membership()) {
                send(record, "service-membership", membership.service().toString(),
                        Topics.SERVICE_MEMBERSHIP.serialize(ChangeRecords.membership(membership)));
            }
            if (changes.next() == null) {
                if (before != null) {
                    store.delete(record.key());
                }
            } else if (changes.stateChanged()) {
                store.put(record.key(), changes.next());
            }
        }

        private void send(Record<String, byte[]> cause, String sink, String key, byte[] value) {
            context.forward(new Record<>(key, value, cause.timestamp()), sink);
        }
    }

    /**
     * Stage 2: a membership update folded into its service's state with {@link ServiceFold}, as
     * vigil's {@code ServiceStage} does, but as a batch of one update (see the class comment).
     */
    private static final class ServiceProcessor implements Processor<String, byte[], String, byte[]> {

        /** Holds one service at a time: the one read from the store for the record at hand. */
        private final ServiceFold fold = new ServiceFold();
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, ServiceCheckpoint> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(SERVICE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            MembershipChange change = ChangeRecords.membership(Topics.SERVICE_MEMBERSHIP.deserialize(record.value()));
            ServiceCheckpoint before = store.get(record.key());
            if (before != null) {
                CheckpointRecords.restore(fold, record.key(), before);
            }
            fold.apply(change);
            for (ServiceChange service : fold.flush()) {
                String key = service.entityKey();
                context.forward(new Record<>(key, Topics.SERVICE_HEALTH.serialize(ChangeRecords.service(service)), record.timestamp()));
                if (service.isTombstone()) {
                    context.forward(new Record<String, byte[]>(key, null, record.timestamp()));
                }
            }
            ServiceState after = fold.get(change.service());
            fold.forget(change.service());
            if (after != null) {
                store.put(record.key(), wholeService(after));
            } else if (before != null) {
                store.delete(record.key());
            }
        }
    }

    /**
     * Deletes the topics and state the run made, so the next run starts from the same broker. Not
     * its group: a closed Kafka Streams client's members stay in it until their sessions expire,
     * and the broker refuses to delete a group with members; a fresh application id per run is
     * enough.
     */
    private void cleanUp(Run run, ScratchDir stateDir) throws Exception {
        List<String> made = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(run.id())).toList();
        admin.deleteTopics(made).all().get();
        stateDir.close();
    }
}
