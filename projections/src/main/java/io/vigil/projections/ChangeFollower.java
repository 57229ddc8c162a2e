package io.vigil.projections;

import io.opentelemetry.context.Scope;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.RecordTracing;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Follows the {@link ChangeTopics change topics} from their beginning ({@code read_committed}, no
 * consumer group: every projections instance holds the whole view): every change to the
 * {@link ChangeBroadcast}, which applies it to the {@link HealthViews} and hands it to the live
 * stream and never makes it wait; the services' endpoint parts ({@code vigil.service-endpoints})
 * into the views; and the dataplane specs ({@code vigil.dataplane-specs}, about one record per
 * dataplane) into {@link DataplaneTags}. Caught up, and so ready, once it has read what the topics
 * held when it started. Once caught up, a change that carries a trace is applied in a span of that
 * trace ({@link RecordTracing}). Owns its consumer on one thread of its own.
 */
@ApplicationScoped
public class ChangeFollower {

    private static final Logger LOG = Logger.getLogger(ChangeFollower.class);

    private final HealthViews views;
    private final KafkaClients clients;
    private final RecordTracing tracing;
    private volatile boolean enabled;
    private final ChangeBroadcast broadcast;
    private final DataplaneTags tags;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    ChangeFollower(HealthViews views, ChangeBroadcast broadcast, DataplaneTags tags, KafkaClients clients, RecordTracing tracing) {
        this.views = views;
        this.broadcast = broadcast;
        this.tags = tags;
        this.clients = clients;
        this.tracing = tracing;
    }

    /** Whether the projections role runs in this process: the follower was started. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the views hold at least what the change topics held at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Starts following on a thread of its own; the projections role calls it once. */
    public synchronized void start() {
        if (enabled) {
            return;
        }
        enabled = true;
        thread = new Thread(this::follow, "vigil-projections-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (running) {
            try (Consumer<byte[], byte[]> follower = ChangeTopics.consumer(clients, "vigil-projections", 5_000)) {
                consumer = follower;
                List<TopicPartition> partitions = new ArrayList<>(ChangeTopics.partitions(follower, ChangeTopics.ALL));
                partitions.addAll(ChangeTopics.partitions(follower, List.of(Topics.DATAPLANE_SPECS.name(), Topics.SERVICE_ENDPOINTS.name())));
                follower.assign(partitions);
                follower.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = new HashMap<>(follower.endOffsets(partitions));
                HealthChange.Decoder decoder = new HealthChange.Decoder();
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(200))) {
                        // Reading the topics again from the start continues no request's trace.
                        try (Scope traced = caughtUp ? tracing.processing(record, null) : Scope.noop()) {
                            apply(record, decoder);
                        }
                    }
                    if (!caughtUp && partitions.stream().allMatch(p -> follower.position(p) >= startEnd.get(p))) {
                        caughtUp = true;
                        LOG.info("projections caught up with the change topics");
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                // The topics may not exist yet, or Kafka is away: start over, from the beginning.
                LOG.debugf("following the change topics failed, retrying: %s", e);
                caughtUp = false;
                pause();
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, HealthChange.Decoder decoder) {
        if (record.topic().equals(Topics.DATAPLANE_SPECS.name())) {
            applySpec(record);
        } else if (record.topic().equals(Topics.SERVICE_ENDPOINTS.name())) {
            applyEndpoints(record);
        } else {
            apply(decoder.decodeOrSkip(record));
        }
    }

    private void applySpec(ConsumerRecord<byte[], byte[]> record) {
        try {
            tags.apply(DataplaneKey.parse(new String(record.key(), StandardCharsets.UTF_8)),
                    Topics.DATAPLANE_SPECS.deserialize(record.value()));
        } catch (RuntimeException e) {
            // Only aggregator stage 1 writes this topic; a record it cannot have written names no tags.
            LOG.debugf("skipping an unreadable spec at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e);
        }
    }

    private void applyEndpoints(ConsumerRecord<byte[], byte[]> record) {
        try {
            views.applyEndpoints(new String(record.key(), StandardCharsets.UTF_8),
                    record.value() == null ? null : Topics.SERVICE_ENDPOINTS.deserialize(record.value()));
        } catch (RuntimeException e) {
            LOG.warnf("skipping an unreadable endpoints part at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e);
        }
    }

    /** The broadcast applies it to the views and then hands it to the live stream, as one step. */
    private void apply(HealthChange change) {
        if (change != null) {
            broadcast.publish(change);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops following; the thread ends after its current poll. */
    public void stop() {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }
}
