package io.vigil.schemas.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What one vigil client asks of Kafka on top of the {@link KafkaSettings}: its client id, tuning
 * that an operator's settings may override (batch sizes, linger, poll sizes), and properties it
 * cannot work without (a transactional id, {@code read_committed}, no auto commit), which win over
 * the operator's settings. Immutable; each method returns a copy.
 *
 * @param clientId names the client in broker logs, metrics and quotas
 * @param tuning   defaults the operator's settings override
 * @param required properties that override the operator's settings
 */
public record ClientOptions(String clientId, Map<String, Object> tuning, Map<String, Object> required) {

    public ClientOptions {
        Objects.requireNonNull(clientId, "clientId");
        tuning = Map.copyOf(tuning);
        required = Map.copyOf(required);
    }

    public static ClientOptions named(String clientId) {
        return new ClientOptions(clientId, Map.of(), Map.of());
    }

    /**
     * A consumer that reads only committed records from partitions it assigns itself, commits
     * nothing and starts a partition without a position at its oldest record: the readers of
     * changelogs, change topics and the event log.
     */
    public static ClientOptions committedReader(String clientId, int maxPollRecords) {
        return named(clientId)
                .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .tune(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .tune(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    }

    /** A default the operator's settings may override. */
    public ClientOptions tune(String name, Object value) {
        Map<String, Object> next = new LinkedHashMap<>(tuning);
        next.put(name, value);
        return new ClientOptions(clientId, next, required);
    }

    /** A property this client needs to be correct; the operator's settings cannot change it. */
    public ClientOptions require(String name, Object value) {
        Map<String, Object> next = new LinkedHashMap<>(required);
        next.put(name, value);
        return new ClientOptions(clientId, tuning, next);
    }
}
