package io.vigil.ingest;

import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ProxyChange;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Opt-in cleanup of stale dataplanes ({@code vigil.ingest.stale-after}, off by default), as Kuma
 * and Consul offer: a dataplane whose proxy has been disconnected longer than that is deleted
 * through a {@code dataplane-deleted} event in the event log, so that replay gives the same
 * answer and the audit trail says why: the event's id is
 * {@code stale-after:<duration>:<mesh>/<dataplane>:v<proxy version>}. The rules apply an id once,
 * so a copy from a second ingest instance, or from the next sweep before the deletion went
 * through, changes nothing.
 *
 * <p>Input {@link Topics#PROXY_HEALTH}: since when each dataplane is disconnected is the time its
 * proxy change of that episode was written (after a restart, the latest change's, which is
 * never earlier, so a restart only postpones a deletion).
 *
 * <p>Threading: the topic is followed on a thread of its own; sweeps run on a single scheduler
 * thread (or the caller's, through {@link #sweep}); {@link #close} may be called from any thread.
 */
public final class StaleDataplanes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StaleDataplanes.class);

    /** A disconnected dataplane: since when, and its proxy version then (part of the deletion's id). */
    private record Disconnected(Instant since, long version) {
    }

    private final EventSink log;
    private final Duration staleAfter;
    private final Clock clock;
    private final Map<DataplaneKey, Disconnected> disconnected = new ConcurrentHashMap<>();
    private final CompactedTopicFollower proxies;
    private final ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vigil-ingest-stale-sweep");
        thread.setDaemon(true);
        return thread;
    });

    public StaleDataplanes(KafkaClients clients, EventSink log, Duration staleAfter, Clock clock) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("vigil.ingest.stale-after must be positive, got " + staleAfter);
        }
        this.log = log;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.proxies = new CompactedTopicFollower(clients, Topics.PROXY_HEALTH.name(), "vigil-ingest-stale", this::apply,
                "stale dataplanes are not cleaned up until ingest restarts");
    }

    /** Follows the proxy changes and sweeps every tenth of {@code stale-after} (at least every second, at most every minute). */
    public StaleDataplanes start() {
        proxies.start();
        long every = Math.max(1_000, Math.min(60_000, staleAfter.toMillis() / 10));
        sweeps.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Appends a deletion for every dataplane disconnected longer than {@code stale-after}; how many. */
    int sweep() {
        if (!proxies.caughtUp()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant before = now.minus(staleAfter);
        List<DataplaneEvent> deletions = new ArrayList<>();
        Map<DataplaneKey, Disconnected> swept = new HashMap<>();
        disconnected.forEach((key, episode) -> {
            if (episode.since().isBefore(before)) {
                deletions.add(new DataplaneEvent("stale-after:" + staleAfter + ":" + key + ":v" + episode.version(), key.mesh(), key.name(),
                        now, new DataplaneDeleted()));
                swept.put(key, episode);
            }
        });
        if (!deletions.isEmpty()) {
            log.append(deletions).join();
            // Appended: the proxy's tombstone follows; not asked again meanwhile, unless it reconnected.
            swept.forEach(disconnected::remove);
            LOG.infof("deleted %d dataplanes disconnected longer than %s (vigil.ingest.stale-after)", deletions.size(), staleAfter);
        }
        return deletions.size();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("sweeping stale dataplanes failed, trying again at the next sweep: %s", e.toString());
        }
    }

    /** Only the aggregator writes proxy changes; a record it cannot have written is skipped. */
    private void apply(ConsumerRecord<byte[], byte[]> record) {
        DataplaneKey key;
        ProxyChange change;
        try {
            key = DataplaneKey.parse(new String(record.key(), StandardCharsets.UTF_8));
            change = record.value() == null ? null : Topics.PROXY_HEALTH.deserialize(record.value());
        } catch (RuntimeException poison) {
            return;
        }
        if (change == null || change.getState() == null || change.getState().getConnected()) {
            disconnected.remove(key);
        } else {
            disconnected.compute(key, (k, episode) -> new Disconnected(
                    episode == null ? Instant.ofEpochMilli(record.timestamp()) : episode.since(), change.getVersion()));
        }
    }

    /** Stops sweeping and following. */
    @Override
    public void close() {
        sweeps.shutdownNow();
        proxies.close();
    }
}
