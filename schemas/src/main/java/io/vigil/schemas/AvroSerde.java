package io.vigil.schemas;

import io.vigil.schemas.registry.RegistryFrame;
import io.vigil.schemas.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer and deserializer of one Avro record type in Avro's single-object encoding: a
 * 10-byte header ({@code C3 01} and the writer schema's fingerprint) followed by the binary record.
 * Writes with the record's current schema; reads any version in its {@link SchemaHistory}. A null
 * record is a null value and back (tombstones on compacted topics).
 *
 * <p>Also reads values in the schema registry wire format ({@code 00} and a 4-byte schema id, what
 * registry mode writes to the topics downstream tooling reads, see {@link RegistryFrame}) once the
 * process has named its registry with {@link #readRegistryFramesFrom}: the id's schema, looked up
 * once, is the writer schema, read like a committed version.
 *
 * <p>Kafka configuration names the concrete no-argument subclasses, e.g. {@code DataplaneEventSerde}.
 * Thread-safe: the encoder and Avro's message decoder keep their buffers per thread, so one instance
 * may serve a producer's and a consumer's threads at once.
 */
public class AvroSerde<T extends SpecificRecord> implements Serializer<T>, Deserializer<T>, Serde<T> {

    /** Larger arrays are not kept for the next value: records that large are rare. */
    private static final int KEPT_CAPACITY = 64 * 1024;
    /** Shared by every serde of the thread: an encoding never starts another. */
    private static final ThreadLocal<ArrayBinaryEncoder> ENCODERS = ThreadLocal.withInitial(() -> new ArrayBinaryEncoder(512));
    /** A thread's decoder of values written with the current schema, reconfigured per value. */
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final String recordName;
    private final DatumWriter<T> writer;
    /** The single-object header: the marker and the current schema's fingerprint, little-endian. */
    private final byte[] header;
    /** Reads values written with the current schema: nearly all of them, read straight from their array. */
    private final DatumReader<T> reader;
    /** Reads the others: any schema of the history, or of the registry, resolved to the current one. */
    private final BinaryMessageDecoder<T> decoder;
    /** The fingerprints the decoder resolves: the committed history, then writer schemas met in registry-framed values. */
    private final Set<Long> known = ConcurrentHashMap.newKeySet();

    /** Process-wide, set at start-up (volatile: every consumer thread started afterwards sees it). */
    private static volatile SchemaRegistry registry;

    /**
     * @throws IllegalStateException if the record's current schema is not in its committed history:
     *     records written with it could not be read once the schema changes again
     */
    protected AvroSerde(Class<T> type) {
        SpecificData model = model(type);
        this.recordName = type.getSimpleName();
        Schema schema = model.getSchema(type);
        SchemaHistory history = SchemaHistory.load(recordName);
        if (!history.contains(schema)) {
            throw new IllegalStateException("the current schema of " + recordName + " is not in its schema history: add it as "
                    + SchemaHistory.resource(recordName, history.versions().size() + 1) + " (see schemas/README.md)");
        }
        @SuppressWarnings("unchecked") // the model makes a writer of the schema's class, T
        DatumWriter<T> datumWriter = model.createDatumWriter(schema);
        this.writer = datumWriter;
        this.header = RegistryFrame.singleObjectHeader(SchemaHistory.fingerprint(schema));
        @SuppressWarnings("unchecked") // as the writer
        DatumReader<T> datumReader = model.createDatumReader(schema);
        this.reader = datumReader;
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        history.versions().forEach(version -> {
            decoder.addSchema(version);
            known.add(SchemaHistory.fingerprint(version));
        });
    }

    /**
     * Where every serde of this process looks up the schema ids of registry-framed values. Call it
     * once at start-up, before any consumer reads a topic that registry mode writes; until then such
     * a value is a {@link SerializationException} saying so. {@code null} names none again (a test
     * that ran its own registry).
     */
    public static void readRegistryFramesFrom(SchemaRegistry schemas) {
        registry = schemas;
    }

    /**
     * The generated classes' model, resolving their nested record classes through their own class
     * loader: Avro's default is its own loader, which in a layered class path (Quarkus tests, dev
     * mode) finds a second copy of the classes, and decoding then fails with a ClassCastException.
     */
    private static SpecificData model(Class<?> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        // The generated classes' own encode and decode for the records that have them (no logical
        // types): the same bytes, without looking each field up through the schema (a checkpoint
        // encodes in about a third of the time).
        model.setCustomCoders(true);
        return model;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        ArrayBinaryEncoder out = ENCODERS.get();
        try {
            out.reset();
            out.writeFixed(header);
            writer.write(record, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + recordName + " for topic " + topic + ": " + reason(e), e);
        } finally {
            if (out.capacity() > KEPT_CAPACITY) {
                ENCODERS.remove();
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            if (writtenWithCurrentSchema(data)) {
                return readCurrent(data);
            }
            return decoder.decode(RegistryFrame.isRegistryFramed(data) ? singleObject(data) : data);
        } catch (IOException | RuntimeException e) {
            // Garbage can fail deep inside Avro with any runtime exception: all of them mean "not a readable record".
            throw new SerializationException("Cannot deserialize " + recordName + " from topic " + topic
                    + " (" + data.length + " bytes): " + reason(e), e);
        }
    }

    private boolean writtenWithCurrentSchema(byte[] data) {
        return data.length >= header.length && Arrays.equals(data, 0, header.length, header, 0, header.length);
    }

    /**
     * The message decoder reads through an {@code InputStream} byte by byte; the binary decoder
     * reads the array itself. Same reader schema, so the same record.
     */
    private T readCurrent(byte[] data) throws IOException {
        BinaryDecoder reused = DECODERS.get();
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, header.length, data.length - header.length, reused);
        if (in != reused) {
            DECODERS.set(in);
        }
        return reader.read(null, in);
    }

    /** A registry-framed value with the single-object header of its writer schema, which the decoder then resolves. */
    private byte[] singleObject(byte[] framed) {
        SchemaRegistry schemas = registry;
        int id = RegistryFrame.schemaId(framed);
        if (schemas == null) {
            throw new IllegalStateException("the value is in the schema registry wire format (schema id " + id
                    + ") but this process has no schema registry to read it with (vigil.schema-registry.url)");
        }
        long fingerprint = schemas.fingerprint(id);
        if (!known.contains(fingerprint)) {
            // Added before it counts as known, so no other thread decodes with it missing; adding twice is harmless.
            decoder.addSchema(schemas.schema(id));
            known.add(fingerprint);
        }
        return RegistryFrame.toSingleObject(framed, fingerprint);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema and its history come with the class.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
