package io.vigil.ingest.prober;

import static io.vigil.ingest.prober.Specs.EVERY_SECOND;
import static io.vigil.ingest.prober.Specs.probed;
import static io.vigil.ingest.prober.Specs.universal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two probers in group {@code vigil-prober} on the real embedded broker, fed from
 * {@code vigil.dataplane-specs} as aggregator stage 1 writes it (transactions, one record per
 * change, tombstones): the dataplanes are split between them, each learns its share by re-reading
 * its partitions, records of an aborted transaction are never seen, and when one prober leaves the
 * other takes over all of them.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TargetFeedTest {

    private static final int DATAPLANES = 24;
    private static final Duration REBALANCE = Duration.ofSeconds(60);

    @Test
    void probersSplitTheDataplanesAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        KafkaClients clients = new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers()));
        int partitions;
        try (Admin admin = clients.admin(ClientOptions.named("target-feed-test-admin"))) {
            new TopicProvisioner(admin, TopicSettings.defaults(), Duration.ofSeconds(30)).provision();
            partitions = admin.describeTopics(List.of(Topics.DATAPLANE_SPECS.name())).allTopicNames().get()
                    .get(Topics.DATAPLANE_SPECS.name()).partitions().size();
        }
        try (Producer<String, CurrentDataplaneSpec> stage1 = clients.producer(ClientOptions.named("target-feed-test")
                .require(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "target-feed-test"), new StringSerializer(),
                Topics.DATAPLANE_SPECS.serde().serializer())) {
            stage1.initTransactions();
            stage1.beginTransaction();
            for (int i = 0; i < DATAPLANES; i++) {
                // A dataplane's history as stage 1 publishes it: not connected yet, then connected.
                send(stage1, key(i), universal(key(i), false, probed(8080, EVERY_SECOND)));
                send(stage1, key(i), universal(key(i), true, probed(8080, EVERY_SECOND)));
            }
            stage1.commitTransaction();
            stage1.beginTransaction();
            send(stage1, key(DATAPLANES), universal(key(DATAPLANES), true, probed(8080, EVERY_SECOND)));
            stage1.flush();
            stage1.abortTransaction();

            ProbeTargets first = new ProbeTargets(Integer.MAX_VALUE);
            ProbeTargets second = new ProbeTargets(Integer.MAX_VALUE);
            try (TargetFeed firstFeed = new TargetFeed(clients, first).start();
                 TargetFeed secondFeed = new TargetFeed(clients, second).start()) {
                // Both own partitions: a member that just joined can be caught up on an empty assignment
                // while the other still holds everything.
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> firstFeed.caughtUp() && secondFeed.caughtUp()
                                && !firstFeed.partitions().isEmpty() && !secondFeed.partitions().isEmpty()
                                && firstFeed.partitions().size() + secondFeed.partitions().size() == partitions);
                assertThat(first.size()).isPositive();
                assertThat(second.size()).isPositive();
                assertThat(first.size() + second.size()).as("the aborted spec is not read").isEqualTo(DATAPLANES);
                assertThat(first.takeDue(0).size() + second.takeDue(0).size()).as("every target is due on exactly one prober")
                        .isEqualTo(DATAPLANES);

                firstFeed.close();
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> secondFeed.caughtUp() && second.size() == DATAPLANES);
                assertThat(secondFeed.partitions()).hasSize(partitions);

                stage1.beginTransaction();
                send(stage1, key(0), null);
                stage1.commitTransaction();
                await().atMost(REBALANCE).pollInterval(Duration.ofMillis(100)).until(() -> second.size() == DATAPLANES - 1);
            }
        }
    }

    private static DataplaneKey key(int dataplane) {
        return new DataplaneKey("feed", "web-" + dataplane);
    }

    private static void send(Producer<String, CurrentDataplaneSpec> producer, DataplaneKey key, CurrentDataplaneSpec spec) {
        producer.send(new ProducerRecord<>(Topics.DATAPLANE_SPECS.name(), key.toString(), spec));
    }
}
