package io.vigil.schemas.registry;

import io.vigil.schemas.SchemaHistory;
import io.vigil.schemas.Topic;
import io.vigil.schemas.WireFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Registry mode's {@link WireFormat}: the values of the topics given at start-up go out in the
 * schema registry wire format ({@code 00}, the 4-byte schema id, the Avro body; see
 * {@link RegistryFrame}) under the subject {@code <topic>-value} (TopicNameStrategy); every
 * other topic keeps single-object encoding. Immutable and thread-safe.
 */
public final class RegistryWireFormat implements WireFormat {

    /** Per topic name, the schema a value must be written with and the id the registry gave it. */
    private final Map<String, Registered> topics;

    private record Registered(long fingerprint, int schemaId) {
    }

    private RegistryWireFormat(Map<String, Registered> topics) {
        this.topics = Map.copyOf(topics);
    }

    /**
     * Registers the current schema of each topic's values in {@code registry}: once at start-up,
     * before anything is written.
     *
     * @throws SchemaRegistryException when the registry is unreachable or refuses a schema (the
     *     message names the subject): the process must not start writing
     */
    public static RegistryWireFormat register(SchemaRegistry registry, List<Topic<?>> topics) {
        Map<String, Registered> registered = new HashMap<>();
        for (Topic<?> topic : topics) {
            Schema schema = SpecificData.getForClass(topic.valueType()).getSchema(topic.valueType());
            int id = registry.register(subject(topic), schema);
            registered.put(topic.name(), new Registered(SchemaHistory.fingerprint(schema), id));
        }
        return new RegistryWireFormat(registered);
    }

    /** The subject of a topic's values under TopicNameStrategy. */
    public static String subject(Topic<?> topic) {
        return topic.name() + "-value";
    }

    /**
     * @throws IllegalStateException when a value of a registered topic was not written with the
     *     schema registered for it (a serde other than the topic's)
     */
    @Override
    public byte[] value(Topic<?> topic, byte[] value) {
        Registered registered = topics.get(topic.name());
        if (registered == null || value == null) {
            return value;
        }
        if (RegistryFrame.fingerprint(value) != registered.fingerprint()) {
            throw new IllegalStateException("a value for " + topic + " was not written with the schema registered as "
                    + subject(topic) + " (id " + registered.schemaId() + ")");
        }
        return RegistryFrame.toRegistry(value, registered.schemaId());
    }
}
