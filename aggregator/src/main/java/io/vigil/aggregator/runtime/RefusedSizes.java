package io.vigil.aggregator.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The record sizes that Kafka refused, per topic (a topic whose {@code max.message.bytes} is below
 * the stage's own limit), so that the redo of a batch that failed for it dead-letters every record
 * as large instead of failing the same way forever. A redo need not hold the very same records as
 * the failed batch (its batch may end elsewhere), but any record at least as large is refused too:
 * learning a size, not a record, is what makes the redo succeed. Each refusal can only lower a
 * topic's size, so repeated refusals converge on what the topic takes.
 *
 * <p>Threading: {@link #rejected} runs on the producer's I/O thread (a send callback); the rest
 * on the stage's loop thread.
 */
final class RefusedSizes {

    private record Refusal(String topic, int bytes, String reason) {
    }

    private final Map<String, Integer> smallestRefused = new ConcurrentHashMap<>();
    /** The first refusal of the open transaction, which dooms it. */
    private final AtomicReference<Refusal> pending = new AtomicReference<>();

    /** A send of the open transaction failed; called from the producer's I/O thread. */
    void rejected(String topic, int bytes, Exception failure) {
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
            pending.compareAndSet(null, new Refusal(topic, bytes, failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
    }

    /**
     * After a failed transaction: remembers the size that doomed it, if Kafka refused a record for its size.
     *
     * @return a description of that record for the log, or empty when none was refused
     */
    Optional<String> learn() {
        Refusal refusal = pending.getAndSet(null);
        if (refusal == null) {
            return Optional.empty();
        }
        smallestRefused.merge(refusal.topic(), refusal.bytes(), Math::min);
        return Optional.of("a record of " + refusal.bytes() + " bytes for " + refusal.topic() + " (" + refusal.reason() + ")");
    }

    /** The smallest size Kafka refused for {@code topic}, if it refused any: records this large are refused too. */
    Optional<Integer> refused(String topic) {
        return smallestRefused.isEmpty() ? Optional.empty() : Optional.ofNullable(smallestRefused.get(topic));
    }
}
