package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.Cause;
import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.DataplaneUpserted;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Endpoint;
import io.vigil.aggregator.core.Environment;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.HealthStatus;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.MemberView;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceCounts;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.core.ServiceSummary;
import io.vigil.aggregator.core.StreamConnected;
import io.vigil.aggregator.core.StreamDisconnected;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.MemberCheckpoint;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceViewCheckpoint;
import io.vigil.schemas.DataplaneCheckpointSerde;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.SchemaHistory;
import io.vigil.schemas.ServiceCheckpointSerde;
import io.vigil.schemas.ServiceKey;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        List<Object> expected = fold(original, originalServices, events, new LinkedHashMap<>());

        Dataplanes first = new Dataplanes();
        ServiceFold firstServices = new ServiceFold();
        Map<String, byte[]> changelog = new LinkedHashMap<>();
        List<Object> actual = fold(first, firstServices, events.subList(0, cut), changelog);
        Dataplanes restored = new Dataplanes();
        for (DataplaneState state : first.states()) {
            DataplaneCheckpoint record = dataplaneSerde.deserialize("t", dataplaneSerde.serialize("t", CheckpointRecords.dataplane(state)));
            restored.restore(CheckpointRecords.dataplane(record));
        }
        ServiceFold restoredServices = new ServiceFold();
        changelog.forEach((key, value) -> CheckpointRecords.restore(restoredServices, key,
                value == null ? null : serviceSerde.deserialize("t", value)));
        actual.addAll(fold(restored, restoredServices, events.subList(cut, events.size()), new LinkedHashMap<>()));

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

    @Example
    void aServiceCheckpointOlderThanThePartsRestoresAndItsNextFlushWritesEveryMembersParts() {
        ServiceKey backend = new ServiceKey("default", "backend");
        Cause cause = new Cause("ProbeResult", null, null, Instant.parse("2026-11-26T10:00:00Z"));
        MemberView a = new MemberView(HealthStatus.ONLINE, List.of(new Endpoint("a", "127.0.0.1", 8080)), null);
        MemberView b = new MemberView(HealthStatus.ONLINE, List.of(new Endpoint("b", "127.0.0.2", 8080)), null);
        ServiceCheckpoint old = new ServiceCheckpoint("default", "backend", Map.of(
                "a", new MemberCheckpoint(io.vigil.avro.HealthStatus.ONLINE, ChangeRecords.endpoints(a.endpoints()), null),
                "b", new MemberCheckpoint(io.vigil.avro.HealthStatus.ONLINE, ChangeRecords.endpoints(b.endpoints()), null)),
                new ServiceViewCheckpoint(io.vigil.avro.HealthStatus.ONLINE, 2, 2, 0, 0,
                        ChangeRecords.endpoints(List.of(a.endpoints().get(0), b.endpoints().get(0))), null), 3L);
        ServiceFold services = new ServiceFold();
        CheckpointRecords.restore(services, backend.toString(), serviceSerde.deserialize("t", serviceSerde.serialize("t", old)));

        services.apply(new MembershipChange(backend, "b", new MemberView(HealthStatus.OFFLINE, List.of(), cause.eventTime()), cause));
        List<ServiceChange> changes = services.flush();
        ServiceState state = services.lastFlushed().get(0);

        assertThat(changes).containsExactly(new ServiceChange(backend,
                new ServiceSummary(HealthStatus.PARTIALLY_DEGRADED, new ServiceCounts(2, 1, 1, 0), 1, cause.eventTime()), HealthStatus.ONLINE, 4L,
                cause));
        assertThat(state.endpointParts()).isEqualTo(Map.of("a", a.endpoints(), "b", List.of()));
        assertThat(state.memberParts()).containsOnlyKeys("a", "b");
        assertThat(CheckpointRecords.serviceParts(state, false).get(backend.toString()).getMembers()).isEmpty();
    }

    @Example
    void aVersion2CheckpointRestoresWithoutSinceOrConnectedSinceUntilTheNextChanges() throws Exception {
        Dataplanes dataplanes = new Dataplanes();
        dataplanes.apply(upsert(new DataplaneSpec("127.0.0.1", List.of(new InboundSpec(8080, null, null, "web", null, null,
                Map.of("kuma.io/service", "web"))), null)));
        dataplanes.apply(new Event(WEB, Instant.parse("2026-11-26T10:00:01Z"), null, new StreamConnected("cp-1", null), null));
        DataplaneState before = dataplanes.get(WEB);
        assertThat(before.proxy().connectedSince()).isNotNull();

        DataplaneState restored = CheckpointRecords.dataplane(dataplaneSerde.deserialize("t",
                asVersion(CheckpointRecords.dataplane(before), 2)));

        assertThat(restored.proxy().since()).isNull();
        assertThat(restored.proxy().connectedSince()).isNull();
        assertThat(restored.connectedSince()).isNull();
        assertThat(restored.proxy().inbounds().get(0).serving()).isTrue();
        assertThat(restored.proxy().inbounds().get(0).terminating()).isFalse();
        Dataplanes next = new Dataplanes();
        next.restore(restored);
        Instant disconnected = Instant.parse("2026-11-26T10:00:02Z");
        var changes = next.apply(new Event(WEB, disconnected, null, new StreamDisconnected("cp-1", null), null));
        assertThat(changes.proxy().state().since()).isEqualTo(disconnected);
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
        return asVersion(record, 1);
    }

    /** The record as vigil wrote it with committed schema {@code version}, with that version's fingerprint. */
    private static byte[] asVersion(DataplaneCheckpoint record, int version) throws Exception {
        Schema schema = SchemaHistory.load("DataplaneCheckpoint").versions().get(version - 1);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(current, null);
        new SpecificDatumWriter<DataplaneCheckpoint>(DataplaneCheckpoint.getClassSchema()).write(record, encoder);
        encoder.flush();
        GenericRecord old = new GenericDatumReader<GenericRecord>(DataplaneCheckpoint.getClassSchema(), schema)
                .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(old).array();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Event>> streams() {
        return io.vigil.aggregator.core.EventStreamsAccess.events(80);
    }

    /**
     * The changes, and each flush's endpoint parts, of a batch per event; writes stage 2's
     * changelog parts as the stage does, each key moved to the end as compaction keeps the latest.
     */
    private List<Object> fold(Dataplanes dataplanes, ServiceFold services, List<Event> events, Map<String, byte[]> changelog) {
        List<Object> changes = new ArrayList<>();
        for (Event event : events) {
            var dp = dataplanes.apply(event);
            changes.addAll(dp.inbound());
            if (dp.proxy() != null) {
                changes.add(dp.proxy());
            }
            dp.membership().forEach(services::apply);
            changes.addAll(services.flush());
            for (ServiceState state : services.lastFlushed()) {
                changes.add(state.key() + " parts " + state.endpointParts());
                CheckpointRecords.serviceParts(state, services.get(state.key()) == null).forEach((key, record) -> {
                    changelog.remove(key);
                    changelog.put(key, record == null ? null : serviceSerde.serialize("t", record));
                });
            }
        }
        return changes;
    }
}
