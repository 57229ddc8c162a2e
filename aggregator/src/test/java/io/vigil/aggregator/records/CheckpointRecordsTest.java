package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.DataplaneUpserted;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.schemas.DataplaneCheckpointSerde;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.SchemaHistory;
import io.vigil.schemas.ServiceCheckpointSerde;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A state checkpointed (through the changelog serde) and restored at any point folds the rest of
 * the stream exactly as the uninterrupted state: same changes, same versions, same end state. Tags
 * are kept, and a checkpoint written before they were (v1) still decodes.
 */
class CheckpointRecordsTest {

    private final DataplaneCheckpointSerde dataplaneSerde = new DataplaneCheckpointSerde();
    private final ServiceCheckpointSerde serviceSerde = new ServiceCheckpointSerde();

    @Property(tries = 200)
    void aRestoredStateFoldsOnAsTheOriginal(@ForAll("streams") List<Event> events, @ForAll long seed) {
        int cut = events.isEmpty() ? 0 : new Random(seed).nextInt(events.size() + 1);
        Dataplanes original = new Dataplanes();
        ServiceFold originalServices = new ServiceFold();
        List<HealthChange> expected = fold(original, originalServices, events);

        Dataplanes first = new Dataplanes();
        ServiceFold firstServices = new ServiceFold();
        List<HealthChange> actual = fold(first, firstServices, events.subList(0, cut));
        Dataplanes restored = new Dataplanes();
        for (DataplaneState state : first.states()) {
            DataplaneCheckpoint record = dataplaneSerde.deserialize("t", dataplaneSerde.serialize("t", CheckpointRecords.dataplane(state)));
            restored.restore(CheckpointRecords.dataplane(record));
        }
        ServiceFold restoredServices = new ServiceFold();
        for (ServiceState state : firstServices.services()) {
            ServiceCheckpoint record = serviceSerde.deserialize("t", serviceSerde.serialize("t", CheckpointRecords.service(state)));
            restoredServices.restore(CheckpointRecords.service(record));
        }
        actual.addAll(fold(restored, restoredServices, events.subList(cut, events.size())));

        assertThat(actual).isEqualTo(expected);
    }

    @Example
    void tagsSurviveACheckpoint() {
        Dataplanes dataplanes = new Dataplanes();
        dataplanes.apply(upsert(TAGGED));
        DataplaneCheckpoint record = roundTrip(CheckpointRecords.dataplane(dataplanes.get(WEB)));

        DataplaneState restored = CheckpointRecords.dataplane(record);

        assertThat(record.getSpecPublished()).isTrue();
        assertThat(restored.spec()).isEqualTo(TAGGED);
        assertThat(restored.spec().inbounds().get(0).tags()).containsEntry("version", "v2");
        assertThat(restored.spec().gatewayTags()).isNull();
    }

    @Example
    void aVersion1CheckpointDecodesWithOnlyTheServiceTagAndItsSpecUnpublished() throws Exception {
        Dataplanes dataplanes = new Dataplanes();
        dataplanes.apply(upsert(new DataplaneSpec("127.0.0.1", TAGGED.inbounds(), "edge", Map.of("kuma.io/service", "edge", "zone", "east"))));
        byte[] v1 = asVersion1(CheckpointRecords.dataplane(dataplanes.get(WEB)));

        DataplaneCheckpoint record = dataplaneSerde.deserialize("t", v1);
        DataplaneState restored = CheckpointRecords.dataplane(record);

        assertThat(record.getSpecPublished()).isFalse();
        assertThat(restored.spec().inbounds()).extracting(InboundSpec::tags).containsExactly(Map.of("kuma.io/service", "web"));
        assertThat(restored.spec().gatewayTags()).isEqualTo(Map.of("kuma.io/service", "edge"));
        assertThat(restored.spec().inbounds().get(0).probe()).isEqualTo(TAGGED.inbounds().get(0).probe());
    }

    private static final DataplaneKey WEB = new DataplaneKey("default", "web");
    private static final DataplaneSpec TAGGED = new DataplaneSpec("127.0.0.1", List.of(new InboundSpec(8080, null, null, "web", null,
            ProbeDefaults.KUMA.resolve(null, null, 2, 1, "/healthz"), Map.of("kuma.io/service", "web", "version", "v2"))), null);

    private static Event upsert(DataplaneSpec spec) {
        return new Event(WEB, Instant.parse("2026-11-26T10:00:00Z"), null, new DataplaneUpserted(Environment.UNIVERSAL, spec), null);
    }

    private DataplaneCheckpoint roundTrip(DataplaneCheckpoint record) {
        return dataplaneSerde.deserialize("t", dataplaneSerde.serialize("t", record));
    }

    /** The record as vigil wrote it before v2: the first committed schema, with its own fingerprint. */
    private static byte[] asVersion1(DataplaneCheckpoint record) throws Exception {
        Schema v1 = SchemaHistory.load("DataplaneCheckpoint").versions().get(0);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(current, null);
        new SpecificDatumWriter<DataplaneCheckpoint>(DataplaneCheckpoint.getClassSchema()).write(record, encoder);
        encoder.flush();
        GenericRecord old = new GenericDatumReader<GenericRecord>(DataplaneCheckpoint.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Event>> streams() {
        return io.vigil.aggregator.core.EventStreamsAccess.events(80);
    }

    private static List<HealthChange> fold(Dataplanes dataplanes, ServiceFold services, List<Event> events) {
        List<HealthChange> changes = new ArrayList<>();
        for (Event event : events) {
            var dp = dataplanes.apply(event);
            changes.addAll(dp.inbound());
            if (dp.proxy() != null) {
                changes.add(dp.proxy());
            }
            dp.membership().forEach(services::apply);
            changes.addAll(services.flush());
        }
        return changes;
    }
}
