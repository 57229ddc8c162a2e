package io.vigil.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ProbeResult;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.SchemaHistory;
import io.vigil.schemas.Topics;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RegistryFrameTest {

    private final DataplaneEventSerde serde = new DataplaneEventSerde();
    private final DataplaneEvent event = new DataplaneEvent(null, "m", "d", Instant.parse("2026-11-26T10:00:00Z"),
            new ProbeResult(8080, true, null));

    @Test
    void theRegistryHeaderIsZeroAndTheBigEndianIdBeforeTheSameBody() {
        byte[] single = serde.serialize(Topics.DATAPLANE_EVENTS.name(), event);

        byte[] framed = RegistryFrame.toRegistry(single, 0x01020304);

        assertThat(framed).startsWith(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(framed).hasSize(single.length - 5);
        assertThat(RegistryFrame.isRegistryFramed(framed)).isTrue();
        assertThat(RegistryFrame.isRegistryFramed(single)).isFalse();
        assertThat(RegistryFrame.schemaId(framed)).isEqualTo(0x01020304);
        long fingerprint = SchemaHistory.fingerprint(DataplaneEvent.getClassSchema());
        assertThat(RegistryFrame.fingerprint(single)).isEqualTo(fingerprint);
        assertThat(RegistryFrame.toSingleObject(framed, fingerprint)).isEqualTo(single);
    }

    @Test
    void aFramedValueWithoutARegistryToReadItWithSaysSo() {
        byte[] framed = RegistryFrame.toRegistry(serde.serialize(Topics.DATAPLANE_EVENTS.name(), event), 7);

        assertThatThrownBy(() -> serde.deserialize(Topics.DATAPLANE_EVENTS.name(), framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema registry wire format (schema id 7) but this process has no schema registry");
    }

    @Test
    void aRegistryUrlMustBeHttpAndNeverShowsItsPassword() {
        assertThat(SchemaRegistry.at("http://vigil:s3cret@127.0.0.1:8080/apis/ccompat/v7/")).hasToString("http://127.0.0.1:8080/apis/ccompat/v7");
        assertThatThrownBy(() -> SchemaRegistry.at("ftp://vigil:s3cret@registry/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://***@registry/")
                .message().doesNotContain("s3cret");
    }

    @Test
    void aValueWithoutTheSingleObjectHeaderHasNoFingerprint() {
        assertThatThrownBy(() -> RegistryFrame.fingerprint(new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not Avro single-object encoded");
    }
}
