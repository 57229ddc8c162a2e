package io.vigil.ingest.prober;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.Inbound;
import io.vigil.avro.Networking;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.ServiceProbe;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.TcpCheck;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topic;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Prober start-up time: how long {@link TargetFeed} takes, from {@code start()}, until every
 * partition of {@code vigil.dataplane-specs} is assigned to it and read up to the end offset seen
 * at assignment, and all targets are known, for a fleet of 100,000 Universal dataplanes (two
 * probed inbounds each, so 200,000 targets) whose event log holds 3,000,000 events (an upsert and
 * a connect per dataplane, then probe results).
 *
 * <pre>
 *   generate BOOTSTRAP      provision the topics if missing, then write the deterministic event log
 *   await-specs BOOTSTRAP   wait until aggregator stage 1 (run it: vigil serve --roles aggregator) has
 *                           folded the whole event log, then read vigil.dataplane-specs and count it
 *   measure BOOTSTRAP       one measurement in this JVM (run it in a fresh JVM each time)
 * </pre>
 *
 * Run from the repository (after {@code ./mvnw -o -q -pl ingest -am test-compile
 * dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test}):
 * {@code java -cp ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/test.classpath)
 * io.vigil.ingest.prober.ProberStartupBenchmark measure 127.0.0.1:19092}.
 */
public final class ProberStartupBenchmark {

    static final int DATAPLANES = 100_000;
    static final int TOTAL_EVENTS = 3_000_000;
    static final int MESHES = 10;
    static final int SERVICES = 500;
    static final int INBOUNDS = 2;
    static final long SEED = 20_260_101L;
    static final int EXPECTED_TARGETS = DATAPLANES * INBOUNDS;
    /** Aggregator stage 1's consumer group ({@code vigil-aggregator-<stage name>}). */
    static final String STAGE1_GROUP = "vigil-aggregator-dataplanes";

    private ProberStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of("generate", "await-specs", "measure").contains(args[0])) {
            System.err.println("usage: ProberStartupBenchmark generate|await-specs|measure BOOTSTRAP");
            System.exit(2);
        }
        KafkaClients clients = new KafkaClients(KafkaSettings.of(args[1]));
        try (Admin admin = clients.admin(ClientOptions.named("prober-startup-benchmark"))) {
            List<String> created = new TopicProvisioner(admin, TopicSettings.defaults(), Duration.ofSeconds(30)).provision();
            System.out.println("topics created: " + (created.isEmpty() ? "none (all existed)" : created));
            switch (args[0]) {
                case "generate" -> {
                    long existing = records(admin, Topics.DATAPLANE_EVENTS);
                    if (existing > 0) {
                        System.err.println("topic " + Topics.DATAPLANE_EVENTS + " already holds " + existing + " events; refusing to append");
                        System.exit(1);
                    }
                    generate(clients);
                    System.out.printf("events in topic: %,d%n", records(admin, Topics.DATAPLANE_EVENTS));
                }
                case "await-specs" -> awaitSpecs(clients, admin);
                default -> measure(clients, admin);
            }
        }
    }

    // ---------------------------------------------------------------- generate

    /** Per dataplane an upsert and a stream-connected, then probe results round-robin over the dataplanes and their inbounds. */
    static void generate(KafkaClients clients) {
        SplittableRandom random = new SplittableRandom(SEED);
        Instant clock = Instant.parse("2026-11-26T10:00:00Z");
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (Producer<String, DataplaneEvent> producer = clients.producer(ClientOptions.named("prober-startup-generator")
                .require(ProducerConfig.ACKS_CONFIG, "all")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .tune(ProducerConfig.LINGER_MS_CONFIG, 20)
                .tune(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024)
                .tune(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024), new StringSerializer(),
                Topics.DATAPLANE_EVENTS.serde().serializer())) {
            for (int n = 0; n < TOTAL_EVENTS; n++) {
                int dp;
                Object payload;
                String id = null;
                if (n < 2 * DATAPLANES) {
                    dp = n / 2;
                    payload = n % 2 == 0 ? upsert(dp) : new StreamConnected("cp-1", null);
                } else {
                    int k = n - 2 * DATAPLANES;
                    dp = k % DATAPLANES;
                    int port = port((k / DATAPLANES) % INBOUNDS);
                    boolean healthy = random.nextInt(50) != 0;
                    payload = new ProbeResult(port, healthy, healthy ? null : "connection refused");
                    id = "probe:" + port + ":" + clock.toEpochMilli();
                }
                clock = clock.plusMillis(1);
                DataplaneEvent event = new DataplaneEvent(id, mesh(dp), name(dp), clock, payload);
                producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), KeyFormat.of(mesh(dp), name(dp)), event), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if ((n + 1) % 500_000 == 0) {
                    System.out.printf("sent %,d events (%,d acked) after %.1f s%n", n + 1, acked.get(), (System.nanoTime() - started) / 1e9);
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("a send failed", failure.get());
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a send failed", failure.get());
        }
        System.out.printf("generated %,d events (%,d acked) in %.1f s%n", TOTAL_EVENTS, acked.get(), (System.nanoTime() - started) / 1e9);
    }

    static DataplaneUpserted upsert(int dp) {
        List<Inbound> inbounds = new ArrayList<>(INBOUNDS);
        for (int j = 0; j < INBOUNDS; j++) {
            ServiceProbe probe = new ServiceProbe(null, null, null, null, new TcpCheck(), null);
            inbounds.add(new Inbound(port(j), null, null, Map.of("kuma.io/service", "svc-" + ((dp * INBOUNDS + j) % SERVICES)),
                    null, probe, null));
        }
        return new DataplaneUpserted(Environment.UNIVERSAL, new DataplaneSpec(new Networking(address(dp), inbounds, null, null), null));
    }

    static String mesh(int dp) {
        return "mesh-" + (dp % MESHES);
    }

    static String name(int dp) {
        return String.format("dp-%06d", dp);
    }

    static int port(int inbound) {
        return 10_000 + inbound;
    }

    static String address(int dp) {
        return "127.0.0." + (1 + dp % 254);
    }

    // ---------------------------------------------------------------- await-specs

    /** Waits until stage 1 has committed the whole event log, then reads the spec topic as the prober would. */
    static void awaitSpecs(KafkaClients clients, Admin admin) throws Exception {
        Map<TopicPartition, Long> ends = offsets(admin, Topics.DATAPLANE_EVENTS, OffsetSpec.latest());
        long started = System.nanoTime();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(STAGE1_GROUP)
                    .partitionsToOffsetAndMetadata().get();
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += end.getValue() - (at == null ? 0 : at.offset());
            }
            System.out.printf("%6.0f s: stage 1 is %,d events behind%n", (System.nanoTime() - started) / 1e9, behind);
            if (behind == 0) {
                break;
            }
            Thread.sleep(10_000);
        }
        Map<TopicPartition, Long> specEnds = offsets(admin, Topics.DATAPLANE_SPECS, OffsetSpec.latest());
        Map<String, CurrentDataplaneSpec> specs = new HashMap<>();
        long records = 0;
        try (Consumer<byte[], byte[]> consumer = clients.consumer(ClientOptions.committedReader("prober-startup-specs", 5_000))) {
            consumer.assign(specEnds.keySet());
            consumer.seekToBeginning(specEnds.keySet());
            while (specEnds.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    CurrentDataplaneSpec spec = Topics.DATAPLANE_SPECS.deserialize(record.value());
                    if (spec == null) {
                        specs.remove(key);
                    } else {
                        specs.put(key, spec);
                    }
                }
            }
        }
        long targets = 0;
        for (CurrentDataplaneSpec spec : specs.values()) {
            if (spec.getEnvironment() == Environment.UNIVERSAL && spec.getConnected() && !spec.getDraining()) {
                for (CurrentInboundSpec inbound : spec.getInbounds()) {
                    targets += inbound.getProbe() == null ? 0 : 1;
                }
            }
        }
        System.out.printf("spec topic: %,d records (offsets %,d), %,d dataplanes, %,d probed inbounds of connected dataplanes%n",
                records, specEnds.values().stream().mapToLong(Long::longValue).sum(), specs.size(), targets);
    }

    // ---------------------------------------------------------------- measure

    static void measure(KafkaClients clients, Admin admin) throws Exception {
        int partitions = offsets(admin, Topics.DATAPLANE_SPECS, OffsetSpec.latest()).size();
        System.out.printf("events in topic: %,d; spec records in topic: %,d over %d partitions%n",
                records(admin, Topics.DATAPLANE_EVENTS), records(admin, Topics.DATAPLANE_SPECS), partitions);
        awaitGroupEmpty(admin, "before the run");

        ProbeTargets targets = new ProbeTargets(Integer.MAX_VALUE);
        long constructed = System.nanoTime();
        TargetFeed feed = new TargetFeed(clients, targets);
        long started = System.nanoTime();
        feed.start();
        long assigned = -1;
        long deadline = started + Duration.ofMinutes(15).toNanos();
        while (true) {
            long now = System.nanoTime();
            Set<Integer> owned = feed.partitions();
            boolean caughtUp = feed.caughtUp();
            int size = targets.size();
            if (assigned < 0 && !owned.isEmpty()) {
                assigned = now;
            }
            if (caughtUp && owned.size() == partitions && size == EXPECTED_TARGETS) {
                double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                double feedCpu = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("vigil-prober-targets"))
                        .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum() / 1e9;
                System.out.printf("CPU time: this JVM %.1f s (user+sys, all threads); the feed's consumer thread %.1f s%n", cpu, feedCpu);
                System.out.printf("RESULT restored %d/%d partitions, %,d targets: %.3f s from start() (%.3f s incl. constructing the feed);"
                                + " first assignment after %.3f s%n",
                        owned.size(), partitions, size, (now - started) / 1e9, (now - constructed) / 1e9, (assigned - started) / 1e9);
                break;
            }
            if (now > deadline) {
                throw new IllegalStateException("not restored after 15 min: partitions " + owned + ", caught up " + caughtUp + ", targets " + size);
            }
            Thread.sleep(10);
        }
        MemoryUsage before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.gc();
        MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf("heap: used %d MB before a full GC, %d MB after (targets still held; committed %d MB, max %d MB); GCs: %s%n",
                before.getUsed() >> 20, after.getUsed() >> 20, after.getCommitted() >> 20, after.getMax() >> 20, gcSummary());
        feed.close();
        awaitGroupEmpty(admin, "after closing the feed");
    }

    /** Waits until group vigil-prober has no member, so a run never joins while an earlier run's member is still in it. */
    static void awaitGroupEmpty(Admin admin, String when) throws Exception {
        long started = System.nanoTime();
        while (true) {
            ConsumerGroupDescription group;
            try {
                group = admin.describeConsumerGroups(List.of(TargetFeed.GROUP)).describedGroups().get(TargetFeed.GROUP).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    System.out.printf("group %s does not exist %s%n", TargetFeed.GROUP, when);
                    return;
                }
                throw e;
            }
            if (group.members().isEmpty() && (group.groupState() == GroupState.EMPTY || group.groupState() == GroupState.DEAD)) {
                System.out.printf("group %s is %s with no member %s (waited %.1f s)%n", TargetFeed.GROUP, group.groupState(), when,
                        (System.nanoTime() - started) / 1e9);
                return;
            }
            if (System.nanoTime() - started > Duration.ofMinutes(2).toNanos()) {
                throw new IllegalStateException("group " + TargetFeed.GROUP + " still has members: " + group);
            }
            Thread.sleep(500);
        }
    }

    /** Records (offsets) held by every partition of {@code topic}. */
    static long records(Admin admin, Topic<?> topic) throws Exception {
        Map<TopicPartition, Long> begin = offsets(admin, topic, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(admin, topic, OffsetSpec.latest());
        return end.entrySet().stream().mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
    }

    static Map<TopicPartition, Long> offsets(Admin admin, Topic<?> topic, OffsetSpec spec) throws Exception {
        int partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name()).partitions().size();
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            wanted.put(new TopicPartition(topic.name(), p), spec);
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(wanted).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    static String gcSummary() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(gc -> gc.getName() + " " + gc.getCollectionCount() + "x/" + gc.getCollectionTime() + "ms")
                .collect(Collectors.joining(", "));
    }
}
