package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.avro.Cause;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.Endpoint;
import io.vigil.avro.Environment;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.InboundSummary;
import io.vigil.avro.Member;
import io.vigil.avro.MembershipUpdate;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCounts;
import io.vigil.avro.ServiceState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Cause CAUSE = new Cause("probe-result", "p-1", Topics.DATAPLANE_EVENTS.name(), 3, 42L,
            Instant.parse("2026-11-26T10:00:00.000001Z"));

    private final DataplaneEventSerde events = new DataplaneEventSerde();

    @Test
    void nullIsNullBothWaysForTombstones() {
        assertThat(events.serialize(Topics.DATAPLANE_EVENTS.name(), null)).isNull();
        assertThat(events.deserialize(Topics.DATAPLANE_EVENTS.name(), (byte[]) null)).isNull();
        assertThat(new ServiceChangeSerde().deserialize(Topics.SERVICE_HEALTH.name(), new RecordHeaders(), (byte[]) null)).isNull();
    }

    @Test
    void writesSingleObjectEncodingWithTheCurrentSchemasFingerprint() {
        DataplaneEvent event = new DataplaneEvent(null, "m", "d", Instant.parse("2026-11-26T10:00:00Z"), new ProbeResult(8080, true, null));

        byte[] bytes = events.serialize(Topics.DATAPLANE_EVENTS.name(), event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = fingerprint << 8 | (bytes[i] & 0xFF); // little-endian, as the specification says
        }
        assertThat(fingerprint).isEqualTo(SchemaHistory.fingerprint(DataplaneEvent.getClassSchema()));
        assertThat(events.deserialize(Topics.DATAPLANE_EVENTS.name(), bytes)).isEqualTo(event);
    }

    @Test
    void changeRecordsRoundTripWithAndWithoutState() {
        InboundChange inbound = new InboundChange("m", "d", 8080, new InboundState("web", false, "127.0.0.1", 18080, "probe failed", true, true),
                true, 7L, CAUSE);
        InboundChange inboundGone = new InboundChange("m", "d", 8080, null, false, 8L, CAUSE);
        ProxyChange proxy = new ProxyChange("m", "d", new ProxyState(HealthStatus.PARTIALLY_DEGRADED, true, Environment.KUBERNETES,
                "127.0.0.1", false, List.of("web"), List.of(new InboundSummary(8080, "web", false, "127.0.0.1", false, false)), List.of("not ready"),
                Instant.parse("2026-11-26T10:00:00Z"), null),
                HealthStatus.ONLINE, 2L, CAUSE);
        ProxyChange proxyGone = new ProxyChange("m", "d", null, HealthStatus.OFFLINE, 3L, CAUSE);
        ServiceChange service = new ServiceChange("m", "web", new ServiceState(HealthStatus.ONLINE, new ServiceCounts(1, 1, 0, 0),
                List.of(), 1, Instant.parse("2026-11-26T10:00:00Z")), null, 1L, CAUSE);
        ServiceChange serviceGone = new ServiceChange("m", "web", null, HealthStatus.ONLINE, 2L, CAUSE);
        MembershipUpdate member = new MembershipUpdate("m", "web", "d", new Member(HealthStatus.ONLINE, List.of(new Endpoint("d", "127.0.0.1", 8080)), Instant.parse("2026-11-26T10:00:00Z")), CAUSE);
        MembershipUpdate left = new MembershipUpdate("m", "web", "d", null, CAUSE);

        InboundChangeSerde inbounds = new InboundChangeSerde();
        ProxyChangeSerde proxies = new ProxyChangeSerde();
        ServiceChangeSerde services = new ServiceChangeSerde();
        MembershipUpdateSerde members = new MembershipUpdateSerde();
        for (InboundChange change : List.of(inbound, inboundGone)) {
            assertThat(inbounds.deserialize("t", inbounds.serialize("t", change))).isEqualTo(change);
        }
        for (ProxyChange change : List.of(proxy, proxyGone)) {
            assertThat(proxies.deserialize("t", proxies.serialize("t", change))).isEqualTo(change);
        }
        for (ServiceChange change : List.of(service, serviceGone)) {
            assertThat(services.deserialize("t", services.serialize("t", change))).isEqualTo(change);
        }
        for (MembershipUpdate update : List.of(member, left)) {
            assertThat(members.deserialize("t", members.serialize("t", update))).isEqualTo(update);
        }
    }

    @Test
    void writesAndReadsAsAvrosOwnMessageEncoderAndDecoder() {
        String manyReasons = String.join("", Collections.nCopies(3_000, "inbound[port=8080, service=web] not ready "));
        DataplaneEvent unicode = new DataplaneEvent("", "mésh-ü", "dp-\uD83D\uDE00", Instant.parse("1969-12-31T23:59:59.999Z"),
                new ProbeResult(Integer.MIN_VALUE, false, "lone \uD800 surrogate"));
        ProxyChange large = new ProxyChange("m", "d", new ProxyState(HealthStatus.OFFLINE, false, Environment.UNIVERSAL, "127.0.0.1", true,
                List.of(), List.of(), List.of(manyReasons, "é"), Instant.parse("2026-11-26T10:00:00Z"), Instant.EPOCH),
                null, Long.MIN_VALUE, CAUSE);
        ProxyChange small = new ProxyChange("m", "d", null, HealthStatus.ONLINE, -1L, CAUSE);

        assertSameAsAvro(events, unicode);
        // Large, then small on the same thread: the reused buffer holds nothing of the one before.
        assertSameAsAvro(new ProxyChangeSerde(), large);
        assertSameAsAvro(new ProxyChangeSerde(), small);
        assertSameAsAvro(new MembershipUpdateSerde(), new MembershipUpdate("m", "web", "d",
                new Member(HealthStatus.PARTIALLY_DEGRADED, List.of(new Endpoint("d", "127.0.0.1", 8080), new Endpoint("d", "::1", 0)),
                        Instant.parse("2026-11-26T10:00:00.123456789Z")), CAUSE));
    }

    private static <T extends SpecificRecord> void assertSameAsAvro(AvroSerde<T> serde, T record) {
        SpecificData model = SpecificData.getForClass(record.getClass());
        ByteBuffer expected;
        T expectedRead;
        try {
            expected = new BinaryMessageEncoder<T>(model, record.getSchema()).encode(record);
            expectedRead = new BinaryMessageDecoder<T>(model, record.getSchema()).decode(expected.duplicate());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        byte[] expectedBytes = new byte[expected.remaining()];
        expected.get(expectedBytes);

        byte[] bytes = serde.serialize("t", record);
        assertThat(bytes).isEqualTo(expectedBytes);
        assertThat(serde.deserialize("t", bytes)).isEqualTo(expectedRead);
    }

    @Test
    void bytesWithoutTheHeaderAreASerializationExceptionNamingTheRecord() {
        assertThatThrownBy(() -> events.deserialize(Topics.DATAPLANE_EVENTS.name(), "{\"type\":\"probe-result\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("DataplaneEvent")
                .hasMessageContaining(Topics.DATAPLANE_EVENTS.name())
                .hasMessageContaining("BadHeaderException");
    }

    @Test
    void anotherRecordsBytesAreAnUnknownSchema() {
        byte[] proxyChange = new ProxyChangeSerde().serialize("t", new ProxyChange("m", "d", null, null, 1L, CAUSE));

        assertThatThrownBy(() -> events.deserialize(Topics.DATAPLANE_EVENTS.name(), proxyChange))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("DataplaneEvent")
                .hasMessageContaining("MissingSchemaException");
    }

    @Test
    void aTruncatedOrCorruptBodyIsASerializationException() {
        DataplaneEvent event = new DataplaneEvent("id-1", "mesh", "dataplane", Instant.parse("2026-11-26T10:00:00Z"),
                new ProbeResult(8080, false, "connection refused"));
        byte[] bytes = events.serialize(Topics.DATAPLANE_EVENTS.name(), event);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
        byte[] headerOnly = Arrays.copyOf(bytes, 10);
        byte[] endlessVarint = Arrays.copyOf(bytes, 30);
        Arrays.fill(endlessVarint, 10, 30, (byte) 0xFF);

        for (byte[] garbage : List.of(truncated, headerOnly, endlessVarint)) {
            assertThatThrownBy(() -> events.deserialize(Topics.DATAPLANE_EVENTS.name(), garbage))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith("Cannot deserialize DataplaneEvent from topic vigil.dataplane-events (" + garbage.length + " bytes): ");
        }
    }

    @Test
    void anIncompleteRecordIsASerializationExceptionOnWrite() {
        DataplaneEvent noMesh = new DataplaneEvent(null, null, "d", Instant.parse("2026-11-26T10:00:00Z"), new ProbeResult(1, true, null));

        assertThatThrownBy(() -> events.serialize(Topics.DATAPLANE_EVENTS.name(), noMesh))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot serialize DataplaneEvent for topic vigil.dataplane-events");
    }
}
