package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The event log channel's configuration names what {@link Topics} says, and writes like every other event log writer. */
class EventLogChannelTest {

    private static final String PREFIX = "mp.messaging.outgoing." + EventLog.CHANNEL + ".";

    @Test
    void theChannelWritesTheEventLogTopicWithItsSerdeIdempotentlyAndAcknowledgedByAll() throws IOException {
        Properties config = new Properties();
        try (InputStream in = EventLog.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            assertThat(in).as("ingest's META-INF/microprofile-config.properties").isNotNull();
            config.load(in);
        }

        assertThat(config.getProperty(PREFIX + "topic")).isEqualTo(Topics.DATAPLANE_EVENTS.name());
        assertThat(config.getProperty(PREFIX + "value.serializer")).isEqualTo(Topics.DATAPLANE_EVENTS.serde().getClass().getName());
        assertThat(config.getProperty(PREFIX + "acks")).isEqualTo("all");
        assertThat(config.getProperty(PREFIX + "enable.idempotence")).isEqualTo("true");
        assertThat(config.getProperty(PREFIX + "connector")).isEqualTo("smallrye-kafka");
    }
}
