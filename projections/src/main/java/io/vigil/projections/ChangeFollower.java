package io.vigil.projections;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.schemas.ProxyChangeSerde;
import io.vigil.schemas.ServiceChangeSerde;
import io.vigil.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows {@link Topics#PROXY_HEALTH} and {@link Topics#SERVICE_HEALTH} from their beginning
 * ({@code read_committed}, no consumer group: every projections instance holds the whole view)
 * into {@link HealthViews}. Caught up, and so ready, once it has read what the topics held when it
 * started. Owns its consumer on one thread of its own.
 */
@ApplicationScoped
public class ChangeFollower {

    private static final Logger LOG = Logger.getLogger(ChangeFollower.class);

    private final HealthViews views;
    private final String bootstrapServers;
    private final boolean enabled;
    private final ProxyChangeSerde proxySerde = new ProxyChangeSerde();
    private final ServiceChangeSerde serviceSerde = new ServiceChangeSerde();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    ChangeFollower(HealthViews views, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                   @ConfigProperty(name = "vigil.roles", defaultValue = "projections") List<String> roles) {
        this.views = views;
        this.bootstrapServers = bootstrapServers;
        this.enabled = roles.contains("projections");
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the views hold at least what the change topics held at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        thread = new Thread(this::follow, "vigil-projections-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (running) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-projections");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            try (KafkaConsumer<byte[], byte[]> follower = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = follower;
                List<TopicPartition> partitions = partitions(follower);
                follower.assign(partitions);
                follower.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = new HashMap<>(follower.endOffsets(partitions));
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(200))) {
                        apply(record);
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

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.PROXY_HEALTH, Topics.SERVICE_HEALTH)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        return partitions;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(Topics.PROXY_HEALTH)) {
                views.apply(proxySerde.deserialize(record.topic(), record.value()));
            } else {
                views.apply(serviceSerde.deserialize(record.topic(), record.value()));
            }
        } catch (SerializationException e) {
            LOG.warnf("skipping an undecodable change at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
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

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }
}
