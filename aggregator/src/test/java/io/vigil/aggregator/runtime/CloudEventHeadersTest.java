package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.aggregator.records.CloudEventHeaders;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every change record the stages write carries the CloudEvents 1.0 binary-mode headers, on a real
 * broker: the conformance scenarios go through both stages, then each change topic is read raw.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class CloudEventHeadersTest {

    private static final String PREFIX = "ce-";
    private static final Map<String, String> TYPES = Map.of(Topics.INBOUND_HEALTH.name(), CloudEventHeaders.INBOUND_TYPE,
            Topics.PROXY_HEALTH.name(), CloudEventHeaders.PROXY_TYPE, Topics.SERVICE_HEALTH.name(), CloudEventHeaders.SERVICE_TYPE);

    @Test
    void everyChangeRecordCarriesItsCloudEventAttributes() throws Exception {
        List<DataplaneEvent> events = LiveEqualsReplayTest.conformanceEvents(PREFIX);
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1("cloud-events");
             StageRunner stage2 = kafka.stage2("cloud-events")) {
            kafka.send(events);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(kafka::caughtUp);
        }

        Set<String> ids = new HashSet<>();
        int changes = 0;
        for (Map.Entry<String, String> topic : TYPES.entrySet()) {
            List<ConsumerRecord<String, byte[]>> records = ChangeTopicReader.records(EmbeddedKafkaExtension.bootstrapServers(), topic.getKey())
                    .stream().filter(r -> r.key().startsWith(PREFIX) && r.value() != null).toList();
            assertThat(records).as(topic.getKey()).isNotEmpty();
            for (ConsumerRecord<String, byte[]> record : records) {
                String where = topic.getKey() + " " + record.key();
                assertThat(header(record, "ce_specversion")).as(where).isEqualTo("1.0");
                assertThat(header(record, "ce_type")).as(where).isEqualTo(topic.getValue());
                assertThat(header(record, "ce_source")).as(where).isEqualTo("/vigil/meshes/" + KeyFormat.mesh(record.key()));
                assertThat(header(record, "ce_subject")).as(where).isEqualTo(KeyFormat.name(record.key()));
                assertThat(Instant.parse(header(record, "ce_time"))).as(where).isNotNull();
                assertThat(header(record, "content-type")).as(where).isEqualTo(CloudEventHeaders.CONTENT_TYPE);
                String id = header(record, "ce_id");
                assertThat(id).as(where).startsWith(record.key() + "@").contains(":" + Topics.DATAPLANE_EVENTS.name() + "-");
                assertThat(ids.add(id)).as("ce_id %s is unique", id).isTrue();
                changes++;
            }
        }
        assertThat(changes).isEqualTo(ids.size());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        List<String> values = new ArrayList<>();
        for (Header header : record.headers().headers(name)) {
            values.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(values).as("header %s of %s@%d", name, record.topic(), record.offset()).hasSize(1);
        return values.get(0);
    }
}
