package io.vigil.ingest;

import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads a compacted topic ({@code read_committed}, every partition, no group) from its beginning,
 * then follows it, handing each record to a callback: how ingest keeps a view of one of stage
 * 1's or the aggregator's latest-value topics. Caught up once it has read what the topic held at
 * start.
 *
 * <p>Threading: the consumer and the callback run on a thread of its own from {@link #start};
 * {@link #caughtUp} and {@link #close} may be called from any thread.
 */
final class CompactedTopicFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
    private final String failed;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    /** @param failed what stopping on an error means, for the log */
    CompactedTopicFollower(KafkaClients clients, String topic, String name, Consumer<ConsumerRecord<byte[], byte[]>> apply, String failed) {
        this.topic = topic;
        this.consumer = clients.consumer(ClientOptions.committedReader(name, 5_000));
        this.apply = apply;
        this.failed = failed;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply.accept(record);
                }
                if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    caughtUp = true;
                    LOG.infof("%s caught up with %s", thread.getName(), topic);
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll: leave the loop.
        } catch (RuntimeException e) {
            LOG.error(thread.getName() + " stopped: " + failed, e);
            caughtUp = false;
        } finally {
            consumer.close();
        }
    }

    /** Stops the consumer and waits for its thread; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
