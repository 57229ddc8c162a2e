package io.vigil.projections;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows the {@link ChangeTopics change topics} from their beginning ({@code read_committed}, no
 * consumer group: every projections instance holds the whole view): proxy and service changes
 * into {@link HealthViews}, and every change to the live stream's {@link ChangeBroadcast}, which
 * never makes it wait. Caught up, and so ready, once it has read what the topics held when it
 * started. Owns its consumer on one thread of its own.
 */
@ApplicationScoped
public class ChangeFollower {

    private static final Logger LOG = Logger.getLogger(ChangeFollower.class);

    private final HealthViews views;
    private final String bootstrapServers;
    private final boolean enabled;
    private final ChangeBroadcast broadcast;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    ChangeFollower(HealthViews views, ChangeBroadcast broadcast, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                   @ConfigProperty(name = "vigil.roles", defaultValue = "projections") List<String> roles) {
        this.views = views;
        this.broadcast = broadcast;
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
            try (KafkaConsumer<byte[], byte[]> follower = ChangeTopics.consumer(bootstrapServers, "vigil-projections", 5_000)) {
                consumer = follower;
                List<TopicPartition> partitions = ChangeTopics.partitions(follower, ChangeTopics.ALL);
                follower.assign(partitions);
                follower.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = new HashMap<>(follower.endOffsets(partitions));
                HealthChange.Decoder decoder = new HealthChange.Decoder();
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(200))) {
                        apply(decoder.decodeOrSkip(record));
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

    /** Views first, then the live stream, so a client that reads a change and then the view sees it applied. */
    private void apply(HealthChange change) {
        if (change == null) {
            return;
        }
        if (change.change() instanceof ProxyChange proxy) {
            views.apply(proxy);
        } else if (change.change() instanceof ServiceChange service) {
            views.apply(service);
        }
        broadcast.publish(change);
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
