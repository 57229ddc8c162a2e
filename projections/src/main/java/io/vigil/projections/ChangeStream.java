package io.vigil.projections;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The live stream's clients: opens them (live at once, or after catching up from a resume cursor),
 * sends keepalive comments, bounds how many there are, and ends them when vigil stops.
 *
 * <p>A resuming client gets a thread and a Kafka consumer of its own until it has caught up: the
 * consumer reads every change partition from the client's cursor to where the broadcast was when
 * the client attached, then the client goes live, dropping live changes its catch-up already sent
 * (per-partition offsets tell). At most {@code vigil.projections.stream.max-concurrent-catch-ups}
 * catch-ups run at once: a resume that finds every {@link #catchUpSlots() slot} taken is refused
 * before anything is opened, and the catch-up gives its slot back when it ends, caught up or not.
 * A catch-up replays at most {@code vigil.projections.stream.max-catch-up-changes} positions: when
 * the resume point (or, after its held live changes overflowed, what is left to read) is further
 * behind, it reads nothing and ends the stream with a {@code dropped} event that resumes from where
 * the broadcast is and says to re-read the state ({@link ChangeClient#skipTo}).
 *
 * <p>Thread-safe: request threads open clients, catch-up threads (one per catch-up, each owning
 * its consumer and slot) read Kafka, the keepalive timer ticks.
 */
@ApplicationScoped
public class ChangeStream {

    private static final Logger LOG = Logger.getLogger(ChangeStream.class);

    private final ChangeBroadcast broadcast;
    private final ProjectionsConfig.Stream config;
    private final KafkaClients clients;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("vigil-changes-keepalive"));
    private final ExecutorService catchUps = Executors.newCachedThreadPool(daemon("vigil-changes-catch-up"));
    private final Slots catchUpSlots;

    ChangeStream(ChangeBroadcast broadcast, ProjectionsConfig config,
                 KafkaClients clients) {
        this.broadcast = broadcast;
        this.config = config.stream();
        this.clients = clients;
        this.catchUpSlots = new Slots(config.stream().maxConcurrentCatchUps());
        long keepalive = config.stream().keepalive().toMillis();
        timer.scheduleAtFixedRate(this::tick, keepalive, keepalive, TimeUnit.MILLISECONDS);
    }

    /** What {@link #open} did. */
    public enum Opened {
        /** The stream is open. */
        OPEN,
        /** Refused, touching nothing: {@code vigil.projections.stream.max-clients} streams are open. */
        TOO_MANY_STREAMS,
        /** Refused, touching nothing: {@code vigil.projections.stream.max-concurrent-catch-ups} resumes are catching up. */
        TOO_MANY_CATCH_UPS
    }

    /** Starts streaming to {@code sink}: from {@code resume} when given, else from now. */
    public Opened open(SseEventSink sink, Sse sse, ChangeFilter filter, ChangeCursor resume) {
        if (broadcast.clients().size() >= config.maxClients()) {
            return Opened.TOO_MANY_STREAMS;
        }
        if (resume == null) {
            ChangeClient client = new ChangeClient(sink, sse, filter, config.buffer(), ChangeCursor.start(), broadcast::detach);
            broadcast.attachLive(client);
            client.open();
            return Opened.OPEN;
        }
        Slots.Slot slot = catchUpSlots.tryTake();
        if (slot == null) {
            return Opened.TOO_MANY_CATCH_UPS;
        }
        ChangeClient client = new ChangeClient(sink, sse, filter, config.buffer(), resume, broadcast::detach);
        client.open();
        catchUps.execute(() -> {
            try (slot) {
                catchUp(client);
            }
        });
        return Opened.OPEN;
    }

    /** The slots of catch-ups at once: {@link #open} takes one per resuming client, its catch-up gives it back. */
    public Slots catchUpSlots() {
        return catchUpSlots;
    }

    private void catchUp(ChangeClient client) {
        try (Consumer<byte[], byte[]> consumer = ChangeTopics.consumer(clients, "vigil-projections-catch-up", 500)) {
            List<TopicPartition> partitions = ChangeTopics.partitions(consumer, ChangeTopics.ALL);
            consumer.assign(partitions);
            ChangeCursor from = client.cursor();
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, from.next(ChangeTopics.index(partition.topic()), partition.partition()));
            }
            Map<TopicPartition, Long> logStarts = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
            HealthChange.Decoder decoder = new HealthChange.Decoder();
            long replayed = 0;
            ChangeCursor target = broadcast.attachCatchingUp(client);
            while (target != null) {
                long behind = replayed + behind(consumer, partitions, logStarts, target);
                if (behind > config.maxCatchUpChanges()) {
                    client.skipTo(target, "catching up from the resume point takes " + behind + " changes, more than the "
                            + config.maxCatchUpChanges() + " a catch-up replays: read GET /api/v1/state again, then resume from this cursor"
                            + " (changes not newer than the state's versions are already in it)");
                    return;
                }
                while (!reached(consumer, partitions, target)) {
                    if (client.gone()) {
                        return;
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    replayed += records.count();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        HealthChange change = decoder.decodeOrSkip(record);
                        if (change != null && !client.deliver(change)) {
                            return;
                        }
                    }
                }
                target = broadcast.goLive(client);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.end("dropped", "vigil is shutting down");
        } catch (RuntimeException e) {
            LOG.warnf("a live stream client could not catch up: %s", e.toString());
            client.end("dropped", "reading the change topics failed; resume later");
        }
    }

    /**
     * How many positions lie between where the consumer is (or the log's start, past a position
     * compaction or retention removed) and {@code target}, over every partition.
     */
    private static long behind(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> logStarts,
                               ChangeCursor target) {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            long from = Math.max(consumer.position(partition), logStarts.getOrDefault(partition, 0L));
            behind += Math.max(0, target.next(ChangeTopics.index(partition.topic()), partition.partition()) - from);
        }
        return behind;
    }

    private static boolean reached(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, ChangeCursor target) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < target.next(ChangeTopics.index(partition.topic()), partition.partition())) {
                return false;
            }
        }
        return true;
    }

    private void tick() {
        for (ChangeClient client : broadcast.clients()) {
            client.tick();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        for (ChangeClient client : broadcast.clients()) {
            client.end("dropped", "vigil is shutting down");
        }
        timer.shutdownNow();
        catchUps.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
