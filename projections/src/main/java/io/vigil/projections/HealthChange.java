package io.vigil.projections;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.InboundChange;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import io.vigil.schemas.HealthJson;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

/**
 * One change read from a change topic, with where it was read ({@code topic} index in
 * {@link ChangeTopics#ALL}, partition, offset) and when it was written, and what the stream's
 * filters look at. Its SPEC section 5 JSON ({@link HealthJson#writeChange}) is written once, by
 * whichever thread first asks, and shared by every client.
 *
 * <p>Immutable but for that memo, which is safe to race on (every writer writes the same text).
 */
public final class HealthChange {

    /** The level of a change, which is also its SSE event name. */
    public enum Level {
        INBOUND, PROXY, SERVICE;

        public String eventName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final Logger LOG = Logger.getLogger(HealthChange.class);

    private final int topic;
    private final int partition;
    private final long offset;
    private final Instant time;
    private final Level level;
    private final String mesh;
    private final String dataplane;
    private final List<String> services;
    private final boolean tombstone;
    private final Object change;
    private final JsonWriter writer;
    private volatile String json;

    /** Writes one change with {@link HealthJson}. */
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private HealthChange(ConsumerRecord<byte[], byte[]> record, Level level, String mesh, String dataplane, List<String> services,
                         boolean tombstone, Object change, JsonWriter writer) {
        this.topic = ChangeTopics.index(record.topic());
        this.partition = record.partition();
        this.offset = record.offset();
        this.time = Instant.ofEpochMilli(record.timestamp());
        this.level = level;
        this.mesh = mesh;
        this.dataplane = dataplane;
        this.services = services;
        this.tombstone = tombstone;
        this.change = change;
        this.writer = writer;
    }

    /** Decodes the change topics' records. Stateless and thread-safe. */
    public static final class Decoder {

        /** Like {@link #decode}, but logs a record that is not a change and returns null for it, so a reader goes on. */
        public HealthChange decodeOrSkip(ConsumerRecord<byte[], byte[]> record) {
            try {
                return decode(record);
            } catch (SerializationException e) {
                LOG.warnf("skipping an undecodable change at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                return null;
            }
        }

        /**
         * The change in {@code record}, or null for a Kafka tombstone (the change before it already
         * said the entity is gone).
         *
         * @throws org.apache.kafka.common.errors.SerializationException when it is not a change
         */
        public HealthChange decode(ConsumerRecord<byte[], byte[]> record) {
            if (record.value() == null) {
                return null;
            }
            return switch (ChangeTopics.index(record.topic())) {
                case 0 -> {
                    InboundChange c = Topics.INBOUND_HEALTH.deserialize(record.value());
                    yield new HealthChange(record, Level.INBOUND, c.getMesh(), c.getDataplane(),
                            c.getState() == null ? List.of() : List.of(c.getState().getService()), c.getState() == null, c,
                            g -> HealthJson.writeChange(g, c));
                }
                case 1 -> {
                    ProxyChange c = Topics.PROXY_HEALTH.deserialize(record.value());
                    yield new HealthChange(record, Level.PROXY, c.getMesh(), c.getDataplane(),
                            c.getState() == null ? List.of() : c.getState().getServices(), c.getState() == null, c,
                            g -> HealthJson.writeChange(g, c));
                }
                default -> {
                    ServiceChange c = Topics.SERVICE_HEALTH.deserialize(record.value());
                    yield new HealthChange(record, Level.SERVICE, c.getMesh(), null, List.of(c.getService()), c.getState() == null, c,
                            g -> HealthJson.writeChange(g, c));
                }
            };
        }
    }

    public int topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** When the aggregator wrote the change: the record's timestamp. */
    public Instant time() {
        return time;
    }

    public Level level() {
        return level;
    }

    public String mesh() {
        return mesh;
    }

    /** The dataplane of an inbound or proxy change; null for a service change. */
    public String dataplane() {
        return dataplane;
    }

    /** The services the entity belongs to after the change (a service change: itself); empty for a tombstone. */
    public List<String> services() {
        return services;
    }

    /** Whether the entity is gone after this change. */
    public boolean tombstone() {
        return tombstone;
    }

    /** The Avro change ({@code InboundChange}, {@code ProxyChange} or {@code ServiceChange}), for readers that keep views. */
    public Object change() {
        return change;
    }

    /** Writes the change as SPEC section 5 says. */
    public void write(JsonGenerator g) throws IOException {
        writer.write(g);
    }

    /** The change as SPEC section 5 JSON text. */
    public String json() {
        String text = json;
        if (text == null) {
            StringWriter out = new StringWriter(512);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                write(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            text = out.toString();
            json = text;
        }
        return text;
    }
}
