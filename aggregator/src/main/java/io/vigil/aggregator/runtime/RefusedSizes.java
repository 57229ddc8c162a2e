package io.vigil.aggregator.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
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
 * <p>Which record was refused is not what the send callbacks say: once one record is refused the
 * transaction is doomed, and the producer fails every record it had not sent yet with that same
 * exception, whatever their topics and sizes. So every such record is a suspect, and the refused
 * ones are the suspects larger than their topic's {@code max.message.bytes}; only when none is
 * (the limits could not be read, or compression made the estimate miss) the largest suspect is.
 *
 * <p>Threading: {@link #rejected} runs on the producer's I/O thread (a send callback); the rest
 * on the stage's loop thread.
 */
final class RefusedSizes {

    /** A record of the failed transaction that failed for a size; {@code bytes} counts its batch overhead. */
    private record Suspect(String topic, int bytes, String reason) {
    }

    private final Map<String, Integer> smallestRefused = new ConcurrentHashMap<>();
    /** The open transaction's suspects. */
    private final ConcurrentLinkedQueue<Suspect> suspects = new ConcurrentLinkedQueue<>();

    /** A send of the open transaction failed; called from the producer's I/O thread. */
    void rejected(String topic, int bytes, Exception failure) {
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
            suspects.add(new Suspect(topic, bytes, failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
    }

    /**
     * After a failed transaction: remembers the sizes that doomed it, if Kafka refused records for
     * their size, telling them from the records failed with them by {@code limits} (each topic's
     * {@code max.message.bytes}).
     *
     * @return a description of those records for the log, or empty when none was refused
     */
    Optional<String> learn(Function<Set<String>, Map<String, Integer>> limits) {
        List<Suspect> failed = new ArrayList<>();
        for (Suspect suspect = suspects.poll(); suspect != null; suspect = suspects.poll()) {
            failed.add(suspect);
        }
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        List<Suspect> refused = overTheirLimit(failed, limits);
        if (refused.isEmpty()) {
            refused = List.of(failed.stream().max(Comparator.comparingInt(Suspect::bytes)).orElseThrow());
        }
        refused.forEach(record -> smallestRefused.merge(record.topic(), record.bytes(), Math::min));
        return Optional.of(refused.stream().map(record -> "a record of " + record.bytes() + " bytes for " + record.topic())
                .distinct().collect(Collectors.joining(", ")) + " (" + refused.get(0).reason() + ")");
    }

    private static List<Suspect> overTheirLimit(List<Suspect> failed, Function<Set<String>, Map<String, Integer>> limits) {
        Map<String, Integer> maxBytes;
        try {
            maxBytes = limits.apply(failed.stream().map(Suspect::topic).collect(Collectors.toSet()));
        } catch (KafkaException unknown) {
            return List.of();
        }
        return failed.stream().filter(s -> maxBytes.containsKey(s.topic()) && s.bytes() > maxBytes.get(s.topic())).toList();
    }

    /** A new transaction begins: what failed before it (e.g. in a producer closed without an abort) is no suspect of it. */
    void forgetSuspects() {
        suspects.clear();
    }

    /** The smallest size Kafka refused for {@code topic}, if it refused any: records this large are refused too. */
    Optional<Integer> refused(String topic) {
        return smallestRefused.isEmpty() ? Optional.empty() : Optional.ofNullable(smallestRefused.get(topic));
    }
}
