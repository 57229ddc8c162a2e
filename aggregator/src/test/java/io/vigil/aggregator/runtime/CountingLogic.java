package io.vigil.aggregator.runtime;

import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stage that counts records per key and partition, small enough to check by eye: each input
 * record sends {@code key=count} to {@link #OUTPUT}, each batch end writes the changed counts to
 * the changelog. Values {@code poison} and {@code boom} make it throw a {@link PoisonRecordException}
 * and an unexpected exception; {@code huge} makes it send {@code key=} and {@value #HUGE} x's instead of a count. Everything it is asked to do goes to the journal, in order.
 */
final class CountingLogic implements StageLogic {

    static final Topic<?> INPUT = Topics.DATAPLANE_EVENTS;
    static final Topic<?> CHANGELOG = Topics.DATAPLANE_STATE;
    static final Topic<?> OUTPUT = Topics.PROXY_HEALTH;
    static final int HUGE = 4_000;

    private final List<String> journal;
    private final Map<Integer, Map<String, Integer>> counts = new TreeMap<>();
    private final Map<Integer, Set<String>> changed = new TreeMap<>();

    CountingLogic(List<String> journal) {
        this.journal = journal;
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public Topic<?> inputTopic() {
        return INPUT;
    }

    @Override
    public Topic<?> changelogTopic() {
        return CHANGELOG;
    }

    @Override
    public void restore(int partition, byte[] key, byte[] value) {
        String k = text(key);
        journal.add("restore " + partition + " " + k);
        Map<String, Integer> state = counts.computeIfAbsent(partition, p -> new TreeMap<>());
        if (value == null) {
            state.remove(k);
        } else {
            state.put(k, Integer.parseInt(text(value)));
        }
    }

    @Override
    public void drop(int partition) {
        journal.add("drop " + partition);
        counts.remove(partition);
        changed.remove(partition);
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Outputs out) {
        journal.add("process " + record.partition() + "@" + record.offset());
        String key = text(record.key());
        switch (text(record.value())) {
            case "poison" -> throw new PoisonRecordException("not a count: poison");
            case "boom" -> throw new IllegalStateException("boom");
            case "huge" -> out.send(OUTPUT, key, bytes(key + "=" + "x".repeat(HUGE)));
            default -> {
                int count = counts.computeIfAbsent(record.partition(), p -> new TreeMap<>()).merge(key, 1, Integer::sum);
                changed.computeIfAbsent(record.partition(), p -> new LinkedHashSet<>()).add(key);
                out.send(OUTPUT, key, bytes(key + "=" + count));
            }
        }
    }

    @Override
    public void endBatch(Outputs out) {
        changed.forEach((partition, keys) -> keys.forEach(key ->
                out.send(changelogTopic(), partition, key, bytes(Integer.toString(counts.get(partition).get(key))))));
        changed.clear();
    }

    /** The counts held for a partition; empty when it holds none. */
    Map<String, Integer> counts(int partition) {
        return Map.copyOf(counts.getOrDefault(partition, Map.of()));
    }

    /** The partitions it holds state for. */
    Set<Integer> partitions() {
        return Set.copyOf(counts.keySet());
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CountingLogic" + counts;
    }
}
