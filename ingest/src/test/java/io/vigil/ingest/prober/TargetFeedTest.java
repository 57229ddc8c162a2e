package io.vigil.ingest.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two probers in group {@code vigil-prober} on the real embedded broker: the dataplanes are
 * split between them, each learns its share by re-reading the log, and when one leaves the other
 * takes over all of them.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TargetFeedTest {

    private static final int DATAPLANES = 24;
    private static final Duration REBALANCE = Duration.ofSeconds(60);

    @Test
    void probersSplitTheDataplanesAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, TopicSettings.defaults(), Duration.ofSeconds(30)).provision();
        }
        try (KafkaProducer<String, DataplaneEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new DataplaneEventSerde())) {
            for (int i = 0; i < DATAPLANES; i++) {
                send(producer, "{\"type\": \"dataplane-upserted\", " + head(i) + ", \"environment\": \"universal\", \"spec\": "
                        + "{\"networking\": {\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, "
                        + "\"tags\": {\"kuma.io/service\": \"web\"}, \"serviceProbe\": {\"tcp\": {}}}]}}}");
                send(producer, "{\"type\": \"stream-connected\", " + head(i) + ", \"instance\": \"cp-1\"}");
            }
            producer.flush();

            ProbeTargets first = new ProbeTargets();
            ProbeTargets second = new ProbeTargets();
            try (TargetFeed firstFeed = feed(bootstrap, first).start(); TargetFeed secondFeed = feed(bootstrap, second).start()) {
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> first.size() > 0 && second.size() > 0 && first.size() + second.size() == DATAPLANES);
                assertThat(first.takeDue(0).size() + second.takeDue(0).size()).as("every target is due on exactly one prober")
                        .isEqualTo(DATAPLANES);

                firstFeed.close();
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100)).until(() -> second.size() == DATAPLANES);

                send(producer, "{\"type\": \"dataplane-deleted\", " + head(0) + "}");
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100)).until(() -> second.size() == DATAPLANES - 1);
            }
        }
    }

    private static TargetFeed feed(String bootstrap, ProbeTargets targets) {
        return new TargetFeed(new KafkaClients(KafkaSettings.of(bootstrap)), targets, new EventRecords(ProbeDefaults.KUMA));
    }

    private static String head(int dataplane) {
        return "\"mesh\": \"feed\", \"dataplane\": \"web-" + dataplane + "\", \"time\": \"2026-11-26T10:00:00Z\"";
    }

    private static void send(KafkaProducer<String, DataplaneEvent> producer, String json) throws Exception {
        DataplaneEvent event = EventJson.parse(json);
        producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), event.getMesh() + "/" + event.getDataplane(), event)).get();
    }
}
