package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three {@link EmbeddedKafkaBroker} nodes forming one KRaft quorum, in this JVM. */
class KafkaClusterTest {

    @TempDir
    Path tmp;

    @Test
    void threeNodesReplicateThriceAndAcceptWritesWithOneNodeDownThenItRejoins() throws Exception {
        QuorumVoters voters = new QuorumVoters(Map.of(1, freePort(), 2, freePort(), 3, freePort()));
        String clusterId = Uuid.randomUuid().toString();
        int[] ports = {freePort(), freePort(), freePort()};
        List<EmbeddedKafkaBroker> nodes = new ArrayList<>();
        try {
            // Each node's start waits for the quorum, which needs two of them: start them side by side.
            List<CompletableFuture<EmbeddedKafkaBroker>> starting = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                EmbeddedKafkaBroker node = node(id, ports[id - 1], clusterId, voters);
                nodes.add(node);
                starting.add(CompletableFuture.supplyAsync(node::start));
            }
            for (CompletableFuture<EmbeddedKafkaBroker> node : starting) {
                node.get(120, TimeUnit.SECONDS);
            }
            String first = nodes.get(0).bootstrapServers();
            assertThat(TestClients.clusterId(nodes.get(2).bootstrapServers())).isEqualTo(clusterId);

            try (Admin admin = TestClients.admin(first)) {
                admin.createTopics(List.of(new NewTopic("replicated", Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames().get(30, TimeUnit.SECONDS).get("replicated");
                assertThat(topic.partitions().get(0).replicas()).hasSize(3);
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
                assertThat(admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker).get("min.insync.replicas").value())
                        .isEqualTo("2");
            }

            nodes.get(2).close();
            TestClients.produce(first, "replicated", "k", "with node 3 down");

            EmbeddedKafkaBroker again = node(3, ports[2], clusterId, voters).start();
            nodes.set(2, again);
            assertThat(TestClients.readFromStart(again.bootstrapServers(), "replicated", 1))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("k", "with node 3 down"));
        } finally {
            // Side by side: a node stopped after the others has no quorum left to approve its
            // controlled shutdown, and waits minutes for it.
            CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::close))
                    .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
    }

    @Test
    void votersParseRenderAndNameWhatIsWrong() {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194");
        assertThat(voters.size()).isEqualTo(3);
        assertThat(voters.controllerPort(2)).isEqualTo(9193);
        assertThat(voters).hasToString("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194");

        assertThatThrownBy(() -> QuorumVoters.parse("1@10.0.0.1:9192")).hasMessage("voter '1@10.0.0.1:9192' is not ID@127.0.0.1:PORT");
        assertThatThrownBy(() -> QuorumVoters.parse("1@127.0.0.1:x")).hasMessageContaining("'x' where a number from 1 to 65535 belongs");
        assertThatThrownBy(() -> QuorumVoters.parse("1@127.0.0.1:1,1@127.0.0.1:2")).hasMessage("node id 1 is listed twice in the voters");
        assertThatThrownBy(() -> voters.controllerPort(4)).hasMessageContaining("node id 4 is not one of the voters");
    }

    @Test
    void aNodeNeedsAClusterIdKafkaAccepts() {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:9192");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(tmp).cluster(1, "not-an-id", voters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster id 'not-an-id' is not a Kafka cluster id (22 characters of base64url)");
    }

    private EmbeddedKafkaBroker node(int id, int port, String clusterId, QuorumVoters voters) {
        return EmbeddedKafkaBroker.builder(tmp.resolve("node-" + id)).port(port).cluster(id, clusterId, voters).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
