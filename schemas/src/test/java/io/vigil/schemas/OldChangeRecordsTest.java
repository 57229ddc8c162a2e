package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.Cause;
import io.vigil.avro.Environment;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.InboundSummary;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCounts;
import io.vigil.avro.ServiceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Change records written before {@code serving}, {@code terminating}, {@code since} and
 * {@code connectedSince} existed still decode, with those fields null (unknown).
 */
class OldChangeRecordsTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final Cause CAUSE = new Cause("probe-result", "p-1", null, null, null, T);

    @Test
    void anInboundChangeOfSchemaV1DecodesWithoutServingOrTerminating() {
        InboundChange current = new InboundChange("m", "d", 8080,
                new InboundState("web", false, "127.0.0.1", 8080, "pod is terminating", true, true), true, 2L, CAUSE);

        InboundChange decoded = Topics.INBOUND_HEALTH.deserialize(writtenWith("InboundChange", 1, current));

        assertThat(decoded.getState().getReason()).isEqualTo("pod is terminating");
        assertThat(decoded.getState().getServing()).isNull();
        assertThat(decoded.getState().getTerminating()).isNull();
    }

    @Test
    void aProxyChangeOfSchemaV1DecodesWithoutTheNewFields() {
        ProxyChange current = new ProxyChange("m", "d", new ProxyState(HealthStatus.OFFLINE, true, Environment.KUBERNETES,
                "127.0.0.1", false, List.of("web"), List.of(new InboundSummary(8080, "web", false, "127.0.0.1", true, true)),
                List.of("draining"), T, T), HealthStatus.ONLINE, 3L, CAUSE);

        ProxyChange decoded = Topics.PROXY_HEALTH.deserialize(writtenWith("ProxyChange", 1, current));

        assertThat(decoded.getState().getStatus()).isEqualTo(HealthStatus.OFFLINE);
        assertThat(decoded.getState().getSince()).isNull();
        assertThat(decoded.getState().getConnectedSince()).isNull();
        assertThat(decoded.getState().getInbounds().get(0).getServing()).isNull();
        assertThat(decoded.getState().getInbounds().get(0).getTerminating()).isNull();
    }

    @Test
    void aServiceChangeOfSchemaV2DecodesWithoutSince() {
        ServiceChange current = new ServiceChange("m", "web", new ServiceState(HealthStatus.ONLINE, new ServiceCounts(1, 1, 0, 0),
                List.of(), 1, T), null, 1L, CAUSE);

        ServiceChange decoded = Topics.SERVICE_HEALTH.deserialize(writtenWith("ServiceChange", 2, current));

        assertThat(decoded.getState().getEndpointCount()).isEqualTo(1);
        assertThat(decoded.getState().getSince()).isNull();
    }

    @Test
    void theCurrentSchemaKeepsTheNewFields() {
        ServiceChange current = new ServiceChange("m", "web", new ServiceState(HealthStatus.ONLINE, new ServiceCounts(1, 1, 0, 0),
                List.of(), 1, T), null, 1L, CAUSE);

        assertThat(Topics.SERVICE_HEALTH.deserialize(Topics.SERVICE_HEALTH.serialize(current)).getState().getSince()).isEqualTo(T);
    }

    /**
     * The record as a writer with a committed older schema wrote it: new fields are appended to
     * their records, so the old schema's positions still find the old fields.
     */
    private static byte[] writtenWith(String recordName, int version, SpecificRecord record) {
        Schema old = SchemaHistory.load(recordName).versions().get(version - 1);
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<SpecificRecord>(SpecificData.getForClass(record.getClass()), old)
                    .encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
