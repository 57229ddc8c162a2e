package io.vigil.schemas;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;

/**
 * One of vigil's Kafka topics, described once ({@link Topics} holds them all): its name, the
 * {@link KeyFormat} of its keys, the Avro type of its values and their serde, how the broker
 * cleans it up and which topic it is co-partitioned with. Immutable and thread-safe.
 *
 * @param <V> the value type: an Avro record, or {@code byte[]} for topics that hold records as they were
 */
public final class Topic<V> {

    /** How the broker forgets records; {@link TopicSettings} turns it into topic configs. */
    public enum Cleanup {
        /** Deleted after the event retention: the event log and what must be replayable or auditable as long. */
        RETAINED,
        /** Compacted, each change kept at least the change min compaction lag: the change topics. */
        COMPACTED_CHANGES,
        /** Compacted with no lag: latest-value-per-key topics (state changelogs, dataplane specs). */
        COMPACTED
    }

    private final String name;
    private final KeyFormat key;
    private final Class<V> valueType;
    private final Supplier<? extends Serde<V>> newSerde;
    private volatile Serde<V> serde;
    private final Cleanup cleanup;
    private final Topic<?> coPartitionedWith;

    Topic(String name, KeyFormat key, Class<V> valueType, Supplier<? extends Serde<V>> newSerde, Cleanup cleanup,
          Topic<?> coPartitionedWith) {
        this.name = Objects.requireNonNull(name, "name");
        this.key = Objects.requireNonNull(key, "key");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
        this.newSerde = newSerde;
        this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
        this.coPartitionedWith = coPartitionedWith;
    }

    public String name() {
        return name;
    }

    public KeyFormat key() {
        return key;
    }

    public Class<V> valueType() {
        return valueType;
    }

    /**
     * The serde of the values, one per topic and thread-safe, made on first use (so a schema
     * missing from its history fails the first use, not the loading of {@link Topics}).
     *
     * @throws UnsupportedOperationException for a topic of raw records (dead letters)
     */
    public Serde<V> serde() {
        Serde<V> current = serde;
        if (current == null) {
            if (newSerde == null) {
                throw new UnsupportedOperationException(name + " holds records as they were, not Avro values of one type");
            }
            synchronized (this) {
                if (serde == null) {
                    serde = newSerde.get();
                }
                current = serde;
            }
        }
        return current;
    }

    /** A value as this topic's record value; null (a tombstone) stays null. */
    public byte[] serialize(V value) {
        return serde().serializer().serialize(name, value);
    }

    /**
     * A record value of this topic; null (a tombstone) stays null.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when it is not a readable value
     */
    public V deserialize(byte[] value) {
        return serde().deserializer().deserialize(name, value);
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /**
     * The topic this one must have exactly as many partitions as. A stage's changelog mirrors its
     * input's partitions (written to the input record's partition number), so the instance that
     * owns an input partition restores that partition's state; the dataplane specs are written the
     * same way, to the partition of the events they come from; the membership topic has the event
     * log's count so that stage 2 scales like stage 1.
     */
    public Optional<Topic<?>> coPartitionedWith() {
        return Optional.ofNullable(coPartitionedWith);
    }

    @Override
    public String toString() {
        return name;
    }
}
