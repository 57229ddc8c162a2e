package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.DataplaneChanges;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Dataplanes;
import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.core.SpecView;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.aggregator.records.CheckpointRecords;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.aggregator.records.SpecRecords;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Every kind of record the stages write, from the conformance scenarios and a fleet, has the bytes
 * that Avro's own message encoder gives it (with Avro's default model) and reads back as Avro's
 * decoder reads it: the serdes' faster paths change no byte on any topic.
 */
class AvroBytesTest {

    private int compared;

    @Test
    void theSerdesWriteAndReadWhatAvroItselfDoes() {
        List<DataplaneEvent> events = new ArrayList<>(LiveEqualsReplayTest.conformanceEvents("bytes-"));
        FleetEvents fleet = new FleetEvents("bytes-", 200, 4, 5);
        events.addAll(fleet.bootstrap());
        events.addAll(fleet.steady(20_000));
        EventRecords records = new EventRecords(ProbeDefaults.KUMA);
        Dataplanes dataplanes = new Dataplanes();
        ServiceFold services = new ServiceFold();

        for (int i = 0; i < events.size(); i++) {
            assertSameAsAvro(Topics.DATAPLANE_EVENTS, events.get(i));
            Event event = records.toEvent(events.get(i), null);
            DataplaneChanges changes = dataplanes.apply(event);
            for (InboundChange inbound : changes.inbound()) {
                assertSameAsAvro(Topics.INBOUND_HEALTH, ChangeRecords.inbound(inbound));
            }
            if (changes.proxy() != null) {
                assertSameAsAvro(Topics.PROXY_HEALTH, ChangeRecords.proxy(changes.proxy()));
            }
            for (MembershipChange membership : changes.membership()) {
                assertSameAsAvro(Topics.SERVICE_MEMBERSHIP, ChangeRecords.membership(membership));
                services.apply(membership);
            }
            DataplaneState state = dataplanes.get(event.dataplane());
            if (state != null) {
                assertSameAsAvro(Topics.DATAPLANE_STATE, CheckpointRecords.dataplane(state));
                SpecView spec = SpecView.of(state);
                if (spec != null) {
                    assertSameAsAvro(Topics.DATAPLANE_SPECS, SpecRecords.spec(spec));
                }
            }
            if (i % 100 == 99) {
                flush(services);
            }
        }
        flush(services);
        assertThat(compared).isGreaterThan(events.size());
    }

    private void flush(ServiceFold services) {
        for (ServiceChange change : services.flush()) {
            assertSameAsAvro(Topics.SERVICE_HEALTH, ChangeRecords.service(change));
        }
        for (ServiceState state : services.lastFlushed()) {
            state.endpointParts().forEach((dataplane, endpoints) -> {
                if (!endpoints.isEmpty()) {
                    assertSameAsAvro(Topics.SERVICE_ENDPOINTS, ChangeRecords.serviceEndpoints(state.key(), dataplane, endpoints, state.version()));
                }
            });
            for (Map.Entry<String, ServiceCheckpoint> part : CheckpointRecords.serviceParts(state, false).entrySet()) {
                assertSameAsAvro(Topics.SERVICE_STATE, part.getValue());
            }
        }
    }

    private <T extends SpecificRecord> void assertSameAsAvro(Topic<T> topic, T record) {
        if (record == null) {
            return;
        }
        SpecificData model = SpecificData.getForClass(record.getClass());
        byte[] expected;
        T expectedRead;
        try {
            ByteBuffer encoded = new BinaryMessageEncoder<T>(model, record.getSchema()).encode(record);
            expectedRead = new BinaryMessageDecoder<T>(model, record.getSchema()).decode(encoded.duplicate());
            expected = new byte[encoded.remaining()];
            encoded.get(expected);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] bytes = topic.serialize(record);
        assertThat(bytes).as("%s value %s", topic, record).isEqualTo(expected);
        assertThat(topic.deserialize(bytes)).as("%s value %s", topic, record).isEqualTo(expectedRead);
        compared++;
    }
}
